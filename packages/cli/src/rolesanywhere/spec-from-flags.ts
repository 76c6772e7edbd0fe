// The command line's flags as a RolesAnywhereSpec: from the flags alone, or from `--profile NAME`'s
// tobira_rolesanywhere_* keys with any flag given on top. Certificate, key and the three ARNs are needed.

import { specFromSettings } from "../credentials/rolesanywhere/profile-settings.js";
import type { RolesAnywhereSpec } from "../credentials/rolesanywhere/session-target.js";
import { ConfigError, UsageError } from "../errors.js";
import type { IdentityFlags } from "./identity-flags.js";

/** Flag → the setting it stands for (the config key without tobira_rolesanywhere_). */
export const FLAG_SETTINGS: [keyof IdentityFlags, string][] = [
  ["certificate", "certificate"],
  ["privateKey", "private_key"],
  ["intermediates", "intermediates"],
  ["trustAnchorArn", "trust_anchor_arn"],
  ["profileArn", "profile_arn"],
  ["roleArn", "role_arn"],
  ["sessionDuration", "session_duration"],
  ["roleSessionName", "role_session_name"],
  ["region", "region"],
  ["endpoint", "endpoint"],
  ["passphraseSource", "passphrase_source"],
];

const REQUIRED: [keyof IdentityFlags, string][] = [
  ["certificate", "--certificate"],
  ["privateKey", "--private-key"],
  ["trustAnchorArn", "--trust-anchor-arn"],
  ["profileArn", "--profile-arn"],
  ["roleArn", "--role-arn"],
];

async function profileSettings(name: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const { loadConfigFiles, resolveProfile } = await import("../config/index.js");
  const resolved = resolveProfile(await loadConfigFiles({ env }), name, { env });
  if (resolved.source.kind !== "rolesanywhere" || resolved.roles.length > 0) {
    throw new ConfigError(`profile "${name}" has no tobira_rolesanywhere_certificate of its own`, {
      hint: "give the certificate and ARNs as flags, or write the tobira_rolesanywhere_* keys in that profile",
    });
  }
  return resolved.source.settings;
}

export async function specFromFlags(
  flags: IdentityFlags,
  env: NodeJS.ProcessEnv,
): Promise<RolesAnywhereSpec> {
  const settings = flags.profile === undefined ? {} : await profileSettings(flags.profile, env);
  if (flags.profile === undefined) {
    const missing = REQUIRED.filter(([key]) => !flags[key]).map(([, flag]) => flag);
    if (missing.length > 0) {
      throw new UsageError(`missing ${missing.join(", ")}`, {
        hint: "give the certificate, its key and the trust anchor, profile and role ARNs, or --profile NAME",
      });
    }
  }
  for (const [flag, key] of FLAG_SETTINGS) {
    const value = flags[flag];
    if (value !== undefined) settings[key] = value;
  }
  if (settings.session_duration !== undefined && !/^\d+$/.test(settings.session_duration)) {
    throw new UsageError(`--session-duration ${settings.session_duration} is not a whole number of seconds`);
  }
  return specFromSettings(flags.profile ?? "(command line)", settings, env);
}
