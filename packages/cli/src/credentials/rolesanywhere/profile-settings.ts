// A config profile's tobira_rolesanywhere_* keys as a Roles Anywhere spec: the same settings as the command
// line's flags, key by key (certificate, private_key, intermediates, trust_anchor_arn, profile_arn, role_arn,
// session_duration, role_session_name, region, endpoint — the last two default to the profile's own
// region and endpoint_url — and passphrase_source, environment or vault). `~/` in a path is the home folder.

import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../errors.js";
import { PASSPHRASE_SOURCES, type PassphraseSource } from "./key-passphrase-source.js";
import type { RolesAnywhereSpec } from "./session-target.js";

const REQUIRED = ["certificate", "private_key", "trust_anchor_arn", "profile_arn", "role_arn"] as const;

function path(value: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (value === undefined) return undefined;
  return value.startsWith("~/") ? join(env.HOME ?? homedir(), value.slice(2)) : value;
}

export function specFromSettings(
  profile: string,
  settings: Record<string, string>,
  env: NodeJS.ProcessEnv,
): RolesAnywhereSpec {
  const missing = REQUIRED.filter((key) => !settings[key]);
  if (missing.length > 0) {
    throw new ConfigError(
      `profile "${profile}" names a certificate but has no ${missing.map((k) => `tobira_rolesanywhere_${k}`).join(", ")}`,
      {
        hint: "a Roles Anywhere profile needs the certificate, its private key and the trust anchor, profile and role ARNs",
      },
    );
  }
  const duration = settings.session_duration;
  if (duration !== undefined && !/^\d+$/.test(duration)) {
    throw new ConfigError(
      `profile "${profile}": tobira_rolesanywhere_session_duration = ${duration} is not a whole number of seconds`,
    );
  }
  const source = settings.passphrase_source;
  if (source !== undefined && !(PASSPHRASE_SOURCES as readonly string[]).includes(source)) {
    throw new ConfigError(
      `profile "${profile}": tobira_rolesanywhere_passphrase_source = ${source} is neither environment nor vault`,
    );
  }
  return {
    files: {
      passphraseSource: source as PassphraseSource | undefined,
      certificate: path(settings.certificate, env)!,
      privateKey: path(settings.private_key, env)!,
      intermediates: path(settings.intermediates, env),
    },
    trustAnchorArn: settings.trust_anchor_arn!,
    profileArn: settings.profile_arn!,
    roleArn: settings.role_arn!,
    durationSeconds: duration === undefined ? undefined : Number(duration),
    roleSessionName: settings.role_session_name,
    region: settings.region,
    endpoint: settings.endpoint,
    profileEndpointUrl: settings.profile_endpoint_url,
  };
}
