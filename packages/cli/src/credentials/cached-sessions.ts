// What the session cache holds, told without secrets (`tobira list --sessions`, `vault status`), and forgetting
// a profile's part of it (`tobira clear`, and `add --force`, `remove`, `rotate` when a long-term key changes).
import { FileSessionCache, type ListedSession } from "./session-cache-file.js";
import { defaultSessionCacheLocation } from "./session-cache-reader.js";

/** One cached session as `list --sessions` shows it: what, for whom, until when — never the credentials. */
export interface CachedSessionInfo {
  /** The profile whose step made it: the IAM user's profile for a session token, the role's for a role. */
  profile: string;
  /** "session-token" (GetSessionToken) or "assume-role" (AssumeRole). */
  kind: string;
  roleArn?: string;
  /** The MFA device whose code made it, when one did. */
  mfaSerial?: string;
  /** The profile holding the long-term key the chain starts from. */
  sourceProfile?: string;
  /** ISO 8601 expiry of the credentials. */
  expiration: string;
  expired: boolean;
}

function cacheOf(env: NodeJS.ProcessEnv): FileSessionCache {
  return new FileSessionCache(defaultSessionCacheLocation(env));
}

/** Every readable cached session (expired ones included), sorted by profile, then expiry. */
export async function listCachedSessions(
  env: NodeJS.ProcessEnv = process.env,
  now: number = Date.now(),
): Promise<CachedSessionInfo[]> {
  const sessions: CachedSessionInfo[] = [];
  for (const { entry } of await cacheOf(env).list()) {
    if (!entry.credentials) continue; // source records and remembered plans are bookkeeping, not sessions
    const { meta } = entry;
    sessions.push({
      profile: meta.profile ?? "?",
      kind: meta.kind ?? "?",
      ...(meta.roleArn === undefined ? {} : { roleArn: meta.roleArn }),
      ...(meta.mfaSerial === undefined ? {} : { mfaSerial: meta.mfaSerial }),
      ...(meta.sourceProfile === undefined ? {} : { sourceProfile: meta.sourceProfile }),
      expiration: entry.expiresAt,
      expired: Date.parse(entry.expiresAt) <= now,
    });
  }
  return sessions.sort((a, b) =>
    a.profile === b.profile ? a.expiration.localeCompare(b.expiration) : a.profile.localeCompare(b.profile),
  );
}

/**
 * Forgets cached sessions: all of them, or those made for `profile` or from its long-term key, together with
 * what the cache remembers of that key (its access key id and IAM user). The one way a changed or removed key
 * is made to take effect: the next call goes back to the vault. Resolves how many sessions were dropped.
 */
export function forgetCachedSessions(
  profile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return cacheOf(env).clear(profile);
}

/** The IAM Identity Center login whose derived sessions are to go (absent: every login). */
export interface SsoLoginMatch {
  startUrl: string;
  /** The sso-session's name; absent for a legacy `sso_start_url` login. */
  sessionName?: string | undefined;
}

/** A session forgotten because the login it came from ended (`tobira sso logout`). */
export interface ForgottenSsoSession {
  profile: string;
  kind: string;
  roleName?: string;
  accountId?: string;
  roleArn?: string;
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/**
 * Forgets what tobira cached from IAM Identity Center logins: the GetRoleCredentials sessions of the login (or
 * of all), and every role chained from them (entries whose chain starts at one of those SSO profiles).
 * Entries from before tobira noted the sso-session are taken as the login's when the start URL matches.
 */
export async function forgetSsoSessions(
  login: SsoLoginMatch | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ForgottenSsoSession[]> {
  const ofLogin = ({ entry }: ListedSession) => {
    const meta = entry.meta;
    if (meta.kind !== "sso-role") return false;
    if (login === undefined) return true;
    if (meta.startUrl === undefined || !sameUrl(meta.startUrl, login.startUrl)) return false;
    return meta.ssoSession === undefined || meta.ssoSession === (login.sessionName ?? "");
  };
  const gone = await cacheOf(env).forget((all) => {
    const ssoProfiles = new Set(all.filter(ofLogin).map(({ entry }) => entry.meta.profile ?? ""));
    return all.filter(
      (listed) => ofLogin(listed) || ssoProfiles.has(listed.entry.meta.sourceProfile ?? "\0"),
    );
  });
  return gone
    .filter(({ entry }) => entry.credentials)
    .map(({ entry: { meta } }) => ({
      profile: meta.profile ?? "?",
      kind: meta.kind ?? "?",
      ...(meta.roleName === undefined ? {} : { roleName: meta.roleName }),
      ...(meta.accountId === undefined ? {} : { accountId: meta.accountId }),
      ...(meta.roleArn === undefined ? {} : { roleArn: meta.roleArn }),
    }));
}
