// Reads one role profile's AssumeRole settings into a RoleHop, checking them against STS's limits so a bad
// value is reported with its file, section and key before any call is made.
import { ConfigError } from "../errors.js";
import { describeKey } from "./origin.js";
import type { ProfileView } from "./profile-view.js";
import { parseSessionTags, parseTransitiveTagKeys } from "./session-tags.js";
import type { RoleHop, Setting } from "./types.js";

/** arn:PARTITION:iam::ACCOUNT:role/PATH/NAME */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/;
/** STS RoleSessionName and SourceIdentity: 2–64 of [\w+=,.@-]. */
const STS_NAME = /^[\w+=,.@-]{2,64}$/;

export const ROLE_DURATION_LIMITS = { min: 900, max: 43_200 } as const;

export function readRoleHop(view: ProfileView): RoleHop {
  const keys = view.keys;
  const roleArn = keys.get("role_arn") as Setting;
  if (!ROLE_ARN.test(roleArn.value)) {
    throw new ConfigError(
      `role_arn "${roleArn.value}" is not an IAM role ARN (${describeKey(roleArn.origin)}).`,
      {
        hint: "Write role_arn = arn:aws:iam::123456789012:role/NAME",
      },
    );
  }
  const hop: RoleHop = { profile: view.name, roleArn: roleArn.value };
  const text = (key: string): string | undefined => keys.get(key)?.value;

  const mfaSerial = text("mfa_serial");
  if (mfaSerial !== undefined) hop.mfaSerial = mfaSerial;
  const externalId = text("external_id");
  if (externalId !== undefined) hop.externalId = externalId;

  const sessionName = keys.get("role_session_name");
  if (sessionName) hop.roleSessionName = checkStsName(sessionName);
  const duration = keys.get("duration_seconds");
  if (duration) hop.durationSeconds = readDurationSeconds(duration, ROLE_DURATION_LIMITS);
  const tags = keys.get("session_tags");
  if (tags) hop.sessionTags = parseSessionTags(tags);
  const transitive = keys.get("transitive_session_tags");
  if (transitive) hop.transitiveSessionTags = parseTransitiveTagKeys(transitive);
  const sourceIdentity = keys.get("source_identity");
  if (sourceIdentity) hop.sourceIdentity = checkStsName(sourceIdentity);

  const region = text("region");
  if (region !== undefined) hop.region = region;
  const endpointUrl = text("endpoint_url");
  if (endpointUrl !== undefined) hop.endpointUrl = endpointUrl;
  return hop;
}

export function readDurationSeconds(setting: Setting, limits: { min: number; max: number }): number {
  const value = setting.value.trim();
  const seconds = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < limits.min || seconds > limits.max) {
    throw new ConfigError(
      `${setting.origin.key} must be a whole number of seconds from ${limits.min} to ${limits.max}, not "${value}" (${describeKey(setting.origin)}).`,
      { hint: "For example duration_seconds = 3600 (one hour)." },
    );
  }
  return seconds;
}

function checkStsName(setting: Setting): string {
  if (!STS_NAME.test(setting.value)) {
    throw new ConfigError(
      `${setting.origin.key} "${setting.value}" must be 2 to 64 letters, digits or + = , . @ _ - (${describeKey(setting.origin)}).`,
      { hint: "STS rejects any other value; pick a name such as alice@example.com." },
    );
  }
  return setting.value;
}
