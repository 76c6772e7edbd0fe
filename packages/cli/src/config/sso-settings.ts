// A profile's IAM Identity Center settings, read as the AWS CLI v2 reads them: either `sso_session = NAME`
// with a `[sso-session NAME]` section holding `sso_start_url`, `sso_region` and `sso_registration_scopes`, or
// the legacy form with `sso_start_url` and `sso_region` in the profile itself; both with `sso_account_id` and
// `sso_role_name`. As in the AWS CLI, a profile that also writes `sso_start_url` or `sso_region` next to
// `sso_session` must agree with the session. `endpoint_url` in an sso-session section is tobira's own reading
// (the AWS CLI ignores it): where `tobira sso login --sso-session NAME` finds a non-AWS endpoint.
import { ConfigError } from "../errors.js";
import { describeKey, describeSection } from "./origin.js";
import { closeNames } from "./profile-names.js";
import type { ProfileView } from "./profile-view.js";
import type { ConfigFiles, IniSection, Setting, SsoProfileSettings, SsoSessionSettings } from "./types.js";

export type { SsoProfileSettings, SsoSessionSettings };

/** The keys that make a profile an SSO one. */
export const SSO_KEYS = ["sso_session", "sso_start_url", "sso_account_id", "sso_role_name"];

function required(
  section: Pick<IniSection, "file" | "header" | "line">,
  keys: ReadonlyMap<string, Setting>,
  key: string,
  hint: string,
): string {
  const value = keys.get(key)?.value.trim();
  if (value) return value;
  throw new ConfigError(`${describeSection(section)} has no ${key}, which IAM Identity Center needs.`, {
    hint,
  });
}

/** `[sso-session NAME]` as login and profiles read it; an unknown name says which sessions exist. */
export function ssoSessionSettings(files: ConfigFiles, name: string, namedBy?: Setting): SsoSessionSettings {
  const section = files.ssoSessions.get(name);
  if (!section) {
    const known = [...files.ssoSessions.keys()];
    const close = closeNames(name, known);
    const where = namedBy ? ` (${describeKey(namedBy.origin)})` : "";
    throw new ConfigError(`sso-session "${name}" is not defined in ${files.configFile.path}${where}.`, {
      hint:
        (close.length > 0 ? `Did you mean ${close.map((n) => `"${n}"`).join(", ")}? ` : "") +
        (known.length > 0 ? `Defined sessions: ${known.join(", ")}. ` : "") +
        `Add [sso-session ${name}] with sso_start_url and sso_region (as \`aws configure sso-session\` writes it).`,
    });
  }
  const hint = `Add it to [sso-session ${name}] in ${section.file}.`;
  const scopes = section.keys.get("sso_registration_scopes")?.value ?? "";
  return {
    sessionName: name,
    startUrl: required(section, section.keys, "sso_start_url", hint),
    region: required(section, section.keys, "sso_region", hint),
    registrationScopes: scopes
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== ""),
    endpointUrl: section.keys.get("endpoint_url")?.value,
  };
}

function sectionOf(view: ProfileView): Pick<IniSection, "file" | "header" | "line"> {
  return view.config ?? view.credentials ?? { file: "(config)", header: `profile ${view.name}`, line: 0 };
}

/** The session half of a profile: its sso-session, or the legacy keys; mismatches are errors. */
export function profileSsoSession(files: ConfigFiles, view: ProfileView): SsoSessionSettings {
  const keys = view.keys;
  const section = sectionOf(view);
  const sessionKey = keys.get("sso_session");
  if (!sessionKey) {
    const hint = `Add sso_start_url and sso_region to [${section.header}], or name an sso-session with sso_session = NAME.`;
    return {
      startUrl: required(section, keys, "sso_start_url", hint),
      region: required(section, keys, "sso_region", hint),
      registrationScopes: [],
    };
  }
  const session = ssoSessionSettings(files, sessionKey.value, sessionKey);
  for (const [key, field] of [
    ["sso_start_url", "startUrl"],
    ["sso_region", "region"],
  ] as const) {
    const own = keys.get(key);
    if (own && own.value.trim() !== session[field]) {
      throw new ConfigError(
        `profile "${view.name}": ${key} ${own.value} (${describeKey(own.origin)}) differs from sso-session "${sessionKey.value}"'s ${session[field]}.`,
        { hint: `Remove ${key} from [${section.header}] (the sso-session's is used), or make them equal.` },
      );
    }
  }
  return session;
}

export function profileSsoSettings(files: ConfigFiles, view: ProfileView): SsoProfileSettings {
  const session = profileSsoSession(files, view);
  const section = sectionOf(view);
  const hint = `Add sso_account_id and sso_role_name (the permission set) to [${section.header}].`;
  return {
    ...session,
    accountId: required(section, view.keys, "sso_account_id", hint),
    roleName: required(section, view.keys, "sso_role_name", hint),
  };
}
