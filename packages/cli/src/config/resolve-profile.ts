// Resolves a profile into its credential chain as plain data: the source of the first credentials, the role
// hops from there to the target, and the target's own settings — following the AWS CLI's rules.
//
// The rules (botocore's AssumeRoleProvider, checked against botocore 1.43 and the AWS CLI):
// - role_arn needs exactly one of source_profile and credential_source.
// - source_profile chains; a profile already visited is a loop, except a profile naming itself when its own
//   section holds keys (those keys are then the source and its role is assumed on top).
// - Below the target, a profile with keys uses them even if it also has role_arn.
// - mfa_serial, region, duration_seconds… belong to the profile that writes them: nothing is inherited from
//   source_profile. Only aws-vault's include_profile merges another section's keys (see profile-view).
import { ConfigError } from "../errors.js";
import { describeKey } from "./origin.js";
import { hasOwnStaticKeys, ownSource, providerChainSource, unsupportedSourceError } from "./own-source.js";
import { closeNames, unknownProfileError } from "./profile-names.js";
import { type ProfileView, profileView } from "./profile-view.js";
import { readDurationSeconds, readRoleHop } from "./role-hop.js";
import { profileSsoSettings } from "./sso-settings.js";
import type {
  ConfigFiles,
  CredentialSource,
  Env,
  ProfileSettings,
  ResolvedProfile,
  RoleHop,
  Setting,
  SourceUser,
} from "./types.js";

export interface ResolveProfileOptions {
  /** For AWS_REGION / AWS_DEFAULT_REGION / AWS_ENDPOINT_URL; defaults to process.env. */
  env?: Env;
  /**
   * Profiles whose long-term keys tobira's vault holds: they count as profiles with keys in a file. Absent: not
   * known (the vault stays closed), and a profile whose chain needs keys of its own — an IAM user's, or one
   * naming itself as source_profile — is taken to have them in the vault, which says so later if it does not.
   */
  storedKeys?: Iterable<string>;
}

const CREDENTIAL_SOURCES: Record<string, CredentialSource["kind"]> = {
  Environment: "environment",
  Ec2InstanceMetadata: "ec2-metadata",
  EcsContainer: "ecs-container",
};

/** GetSessionToken accepts up to 36 hours; a profile without a role may ask for that much. */
const SESSION_DURATION_LIMITS = { min: 900, max: 129_600 } as const;

export function resolveProfile(
  files: ConfigFiles,
  name: string,
  options: ResolveProfileOptions = {},
): ResolvedProfile {
  if (!files.profiles.has(name)) throw unknownProfileError(files, name);
  const stored = new Set(options.storedKeys ?? []);
  const vaultUnknown = options.storedKeys === undefined;
  const target = profileView(files, name);
  const roles: RoleHop[] = [];
  const visited = [name];
  let current = target;
  let source: CredentialSource | undefined;

  while (source === undefined) {
    const vaultHasKeys = stored.has(current.name);
    const own = ownSource(current, { isTarget: current === target, vaultHasKeys });
    if (own.kind !== "role") {
      source = sourceFrom(files, current, own);
      break;
    }
    roles.unshift(readRoleHop(current));
    const next = roleSourceOf(current);
    if (next.kind !== "profile") {
      source = { kind: next.kind, profile: current.name };
      break;
    }
    const sourceName = next.setting.value;
    if (!files.profiles.has(sourceName)) {
      const close = closeNames(sourceName, [...files.profiles.keys()]);
      throw new ConfigError(
        `profile "${current.name}": source_profile "${sourceName}" is not defined (${describeKey(next.setting.origin)}).`,
        {
          hint:
            (close.length > 0 ? `Did you mean ${close.map((n) => `"${n}"`).join(", ")}? ` : "") +
            `Define [profile ${sourceName}] in ${files.configFile.path} or [${sourceName}] in ${files.credentialsFile.path}.`,
        },
      );
    }
    if (visited.includes(sourceName)) {
      // Self-reference: this section's own keys are the source, its role is assumed with them (botocore asks
      // for static keys in the section; tobira's vault is where they are kept).
      const ownKeysInVault = vaultHasKeys || vaultUnknown;
      if (sourceName === current.name && hasOwnStaticKeys(current, ownKeysInVault)) {
        source = sourceFrom(files, current, providerChainSource(current, { vaultHasKeys: ownKeysInVault }));
        break;
      }
      throw new ConfigError(
        `source_profile loop: ${[...visited, sourceName].join(" → ")} (${describeKey(next.setting.origin)}).`,
        {
          hint:
            sourceName === current.name
              ? `A profile may name itself as source_profile only when it has its own keys: store them with \`tobira add ${sourceName}\` or point source_profile at the IAM user's profile.`
              : "Point one of these source_profile keys at the profile that holds the IAM user's keys.",
        },
      );
    }
    visited.push(sourceName);
    current = profileView(files, sourceName);
  }

  const settings = targetSettings(target, roles);
  const resolved: ResolvedProfile = { name, source, roles, settings };
  const env = options.env ?? process.env;
  if (env.AWS_REGION) Object.assign(resolved, { region: env.AWS_REGION, regionFrom: "AWS_REGION" });
  else if (env.AWS_DEFAULT_REGION) {
    Object.assign(resolved, { region: env.AWS_DEFAULT_REGION, regionFrom: "AWS_DEFAULT_REGION" });
  } else if (settings.region !== undefined)
    Object.assign(resolved, { region: settings.region, regionFrom: "profile" });
  if (env.AWS_ENDPOINT_URL) {
    Object.assign(resolved, { endpointUrl: env.AWS_ENDPOINT_URL, endpointUrlFrom: "AWS_ENDPOINT_URL" });
  } else if (settings.endpointUrl !== undefined) {
    Object.assign(resolved, { endpointUrl: settings.endpointUrl, endpointUrlFrom: "profile" });
  }
  if (source.kind === "static") resolved.sourceUser = sourceUserOf(files, source.profile, roles);
  return resolved;
}

function sourceFrom(
  files: ConfigFiles,
  view: ProfileView,
  own: ReturnType<typeof providerChainSource>,
): CredentialSource {
  switch (own.kind) {
    case "sso":
      return { kind: "sso", profile: view.name, sso: profileSsoSettings(files, view) };
    case "static":
      return own.fromFile
        ? { kind: "static", profile: view.name, fromFile: own.fromFile }
        : { kind: "static", profile: view.name };
    case "process":
      return { kind: "process", profile: view.name, command: own.command };
    case "rolesanywhere":
      return { kind: "rolesanywhere", profile: view.name, settings: own.settings };
    case "unsupported":
      throw unsupportedSourceError(view.name, own);
    case "role":
      throw new Error("a role is not a credential source");
  }
}

type RoleSource =
  | { kind: "profile"; setting: Setting }
  | { kind: Exclude<CredentialSource["kind"], "static" | "process" | "rolesanywhere" | "sso"> };

/** Exactly one of source_profile and credential_source, as botocore requires. */
function roleSourceOf(view: ProfileView): RoleSource {
  const sourceProfile = view.keys.get("source_profile");
  const credentialSource = view.keys.get("credential_source");
  if (sourceProfile && credentialSource) {
    throw new ConfigError(
      `profile "${view.name}" has both source_profile (${describeKey(sourceProfile.origin)}) and credential_source (${describeKey(credentialSource.origin)}).`,
      {
        hint: "A role profile takes its credentials from one place: keep source_profile or credential_source.",
      },
    );
  }
  if (credentialSource) {
    const kind = CREDENTIAL_SOURCES[credentialSource.value];
    if (!kind || !Object.hasOwn(CREDENTIAL_SOURCES, credentialSource.value)) {
      throw new ConfigError(
        `credential_source "${credentialSource.value}" is not valid (${describeKey(credentialSource.origin)}).`,
        { hint: `Use one of ${Object.keys(CREDENTIAL_SOURCES).join(", ")} (spelled exactly so).` },
      );
    }
    return {
      kind: kind as Exclude<CredentialSource["kind"], "static" | "process" | "rolesanywhere" | "sso">,
    };
  }
  if (sourceProfile) return { kind: "profile", setting: sourceProfile };
  const roleArn = view.keys.get("role_arn") as Setting;
  const where = describeKey(roleArn.origin);
  throw new ConfigError(
    `profile "${view.name}" has role_arn but neither source_profile nor credential_source (${where}).`,
    {
      hint: "Add source_profile = PROFILE-WITH-THE-USER'S-KEYS (or credential_source = Environment | Ec2InstanceMetadata | EcsContainer).",
    },
  );
}

function targetSettings(view: ProfileView, roles: readonly RoleHop[]): ProfileSettings {
  const keys = view.keys;
  const settings: ProfileSettings = { tobira: {} };
  const copy = (
    key: string,
    field: "region" | "endpointUrl" | "output" | "mfaSerial" | "mfaProcess",
  ): void => {
    const value = keys.get(key)?.value;
    if (value !== undefined) settings[field] = value;
  };
  copy("region", "region");
  copy("endpoint_url", "endpointUrl");
  copy("output", "output");
  copy("mfa_serial", "mfaSerial");
  copy("mfa_process", "mfaProcess");
  const ownHop = roles.at(-1);
  const duration = keys.get("duration_seconds");
  if (ownHop?.profile === view.name && ownHop.durationSeconds !== undefined) {
    settings.durationSeconds = ownHop.durationSeconds;
  } else if (duration) {
    settings.durationSeconds = readDurationSeconds(duration, SESSION_DURATION_LIMITS);
  }
  for (const [key, setting] of keys) {
    if (key.startsWith("tobira_")) settings.tobira[key] = setting.value;
  }
  return settings;
}

/** The IAM user starting the chain and its MFA device: its own mfa_serial, else the first a hop names. */
function sourceUserOf(files: ConfigFiles, profile: string, roles: readonly RoleHop[]): SourceUser {
  const own = profileView(files, profile).keys.get("mfa_serial")?.value;
  if (own !== undefined) return { profile, mfaSerial: own, mfaSerialProfile: profile };
  const hop = roles.find((role) => role.mfaSerial !== undefined);
  if (hop?.mfaSerial !== undefined)
    return { profile, mfaSerial: hop.mfaSerial, mfaSerialProfile: hop.profile };
  return { profile };
}
