// Turns config/'s resolved profile into the chain spec the planner reads, and picks the profile keys MFA needs (pure).
import type { ConfigFiles, ResolvedProfile } from "../config/index.js";
import type { CredentialChainSpec, SourceSpec } from "./chain-spec.js";

export function chainSpecFromProfile(resolved: ResolvedProfile): CredentialChainSpec {
  const spec: CredentialChainSpec = {
    profile: resolved.name,
    source: sourceSpecOf(resolved),
    hops: resolved.roles.map((role) => {
      // A hop's own endpoint_url is not used: the effective endpoint of the target reaches every STS call,
      // so AWS_ENDPOINT_URL or the target's endpoint_url moves the whole chain together.
      const { endpointUrl: _ownEndpoint, ...hop } = role;
      return hop;
    }),
  };
  if (resolved.settings.mfaSerial !== undefined) spec.mfaSerial = resolved.settings.mfaSerial;
  if (resolved.region !== undefined) spec.region = resolved.region;
  if (resolved.endpointUrl !== undefined) spec.endpointUrl = resolved.endpointUrl;
  return spec;
}

function sourceSpecOf(resolved: ResolvedProfile): SourceSpec {
  const source = resolved.source;
  switch (source.kind) {
    case "static": {
      const serial = resolved.sourceUser?.mfaSerial;
      return serial === undefined
        ? { kind: "long-term", profile: source.profile }
        : { kind: "long-term", profile: source.profile, mfaSerial: serial };
    }
    case "process":
      return { kind: "given", profile: source.profile, origin: { type: "process", command: source.command } };
    case "rolesanywhere":
      return {
        kind: "given",
        profile: source.profile,
        origin: { type: "rolesanywhere", settings: source.settings },
      };
    case "environment":
      return { kind: "given", profile: source.profile, origin: { type: "environment" } };
    case "ec2-metadata":
      return { kind: "given", profile: source.profile, origin: { type: "ec2-metadata" } };
    case "ecs-container":
      return { kind: "given", profile: source.profile, origin: { type: "ecs-container" } };
    case "sso":
      return { kind: "sso", profile: source.profile, sso: source.sso };
  }
}

/** The keys mfa/ reads (mfa_process, tobira_mfa_prompt, …). */
export const MFA_SETTING_KEYS = [
  "tobira_mfa_process",
  "mfa_process",
  "tobira_mfa_prompt",
  "tobira_ykman_account",
];

/**
 * MFA settings for a chain: each key from the profile that names the MFA device first (where mfa_process
 * belongs, as in aws-vault), then the source user's profile, then the profile the user named.
 */
export function mfaSettingsFor(files: ConfigFiles, resolved: ResolvedProfile): Record<string, string> {
  const order = [resolved.sourceUser?.mfaSerialProfile, resolved.source.profile, resolved.name];
  const out: Record<string, string> = {};
  for (const key of MFA_SETTING_KEYS) {
    for (const name of order) {
      if (name === undefined) continue;
      const sections = files.profiles.get(name);
      const value = sections?.config?.keys.get(key)?.value ?? sections?.credentials?.keys.get(key)?.value;
      if (value !== undefined && value.trim() !== "") {
        out[key] = value;
        break;
      }
    }
  }
  return out;
}
