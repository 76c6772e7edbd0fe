// Decides what one profile, on its own, gets credentials from — in the AWS CLI's (botocore's) order.
//
// botocore tries, for the profile the user named: AssumeRole (role_arn without web_identity_token_file), then
// web identity, SSO, the credentials file's keys, `login_session`, credential_process, the config file's keys.
// For a profile reached through source_profile it first asks "has static keys, or no role_arn?": if so the
// same list without AssumeRole applies (static keys beat role_arn there), otherwise it assumes that role too.
// tobira keeps long-term keys in its vault: a profile whose keys the vault holds counts as one with keys in
// the credentials file, and a profile with nothing else is an IAM user whose keys the vault must supply.
import { ConfigError } from "../errors.js";
import { describeKey, describeSection } from "./origin.js";
import type { ProfileView } from "./profile-view.js";
import { rolesAnywhereSettings } from "./rolesanywhere-keys.js";
import { SSO_KEYS } from "./sso-settings.js";
import type { IniSection, Setting, StaticKeysFromFile } from "./types.js";

export type OwnSource =
  | { kind: "role" }
  | { kind: "static"; fromFile?: StaticKeysFromFile }
  | { kind: "process"; command: string }
  | { kind: "rolesanywhere"; settings: Record<string, string> }
  | { kind: "sso" }
  | { kind: "unsupported"; what: "web-identity" | "console-login"; setting: Setting };

export function ownSource(
  view: ProfileView,
  options: { isTarget: boolean; vaultHasKeys: boolean },
): OwnSource {
  const keys = view.keys;
  const webIdentity = keys.get("web_identity_token_file");
  const hasRole = keys.has("role_arn") && !webIdentity;
  const fileKeysInCredentials = staticKeysIn(view.credentials);
  const fileKeysInConfig = staticKeysIn(view.config);
  const hasStaticKeys = options.vaultHasKeys || !!fileKeysInCredentials || !!fileKeysInConfig;

  if (hasRole && (options.isTarget || !hasStaticKeys)) return { kind: "role" };
  return providerChainSource(view, { vaultHasKeys: options.vaultHasKeys });
}

/** botocore's per-profile provider list (everything but AssumeRole), in its order. */
export function providerChainSource(view: ProfileView, options: { vaultHasKeys: boolean }): OwnSource {
  const keys = view.keys;
  const webIdentity = keys.get("web_identity_token_file");
  if (webIdentity) return { kind: "unsupported", what: "web-identity", setting: webIdentity };
  if (SSO_KEYS.some((key) => keys.has(key))) return { kind: "sso" };
  const fileKeysInCredentials = staticKeysIn(view.credentials);
  if (fileKeysInCredentials) return { kind: "static", fromFile: fileKeysInCredentials };
  const fileKeysInConfig = staticKeysIn(view.config);
  if (options.vaultHasKeys) {
    return fileKeysInConfig ? { kind: "static", fromFile: fileKeysInConfig } : { kind: "static" };
  }
  const login = keys.get("login_session");
  if (login) return { kind: "unsupported", what: "console-login", setting: login };
  // tobira's own keys come before credential_process: a profile may keep one for the AWS CLI's sake.
  const rolesAnywhere = rolesAnywhereSettings(view);
  if (rolesAnywhere) return { kind: "rolesanywhere", settings: rolesAnywhere };
  const process = keys.get("credential_process");
  if (process) return { kind: "process", command: process.value };
  if (fileKeysInConfig) return { kind: "static", fromFile: fileKeysInConfig };
  return { kind: "static" };
}

/** Whether the profile has keys of its own (in a file, or in tobira's vault): what self-reference requires. */
export function hasOwnStaticKeys(view: ProfileView, vaultHasKeys: boolean): boolean {
  return vaultHasKeys || !!staticKeysIn(view.credentials) || !!staticKeysIn(view.config);
}

/** The key pair written in one section, or undefined; half a pair is an error naming what is missing. */
export function staticKeysIn(section: IniSection | undefined): StaticKeysFromFile | undefined {
  if (!section) return undefined;
  const id = section.keys.get("aws_access_key_id");
  const secret = section.keys.get("aws_secret_access_key");
  if (!id && !secret) return undefined;
  if (!id || !secret) {
    const missing = id ? "aws_secret_access_key" : "aws_access_key_id";
    const present = (id ?? secret) as Setting;
    throw new ConfigError(`${describeSection(section)} has ${present.origin.key} but no ${missing}.`, {
      hint: `Add ${missing} next to it, or remove the key and store the pair with \`tobira add ${section.header.replace(/^profile\s+/, "")}\`.`,
    });
  }
  const token = section.keys.get("aws_session_token") ?? section.keys.get("aws_security_token");
  return {
    accessKeyId: id.value,
    secretAccessKey: secret.value,
    ...(token ? { sessionToken: token.value } : {}),
    file: section.file,
    section: section.header,
  };
}

/** The error for a profile kind tobira does not handle yet. */
export function unsupportedSourceError(
  profile: string,
  source: Extract<OwnSource, { kind: "unsupported" }>,
): ConfigError {
  const where = describeKey(source.setting.origin);
  switch (source.what) {
    case "web-identity":
      return new ConfigError(
        `profile "${profile}" uses a web identity token: web identity profiles are not supported yet (${where}).`,
        { hint: "Use the AWS CLI or an SDK directly for this profile." },
      );
    case "console-login":
      return new ConfigError(
        `profile "${profile}" uses console login credentials (login_session), which are not supported yet (${where}).`,
        {
          hint: "Use the AWS CLI (`aws login`) for this profile, or an IAM user profile stored with `tobira add`.",
        },
      );
  }
}
