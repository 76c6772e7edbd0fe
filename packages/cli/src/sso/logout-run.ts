// `tobira sso logout [--sso-session NAME | --profile P] [--json]`, as `aws sso logout` does it: each cached
// IAM Identity Center token (all of ~/.aws/sso/cache, or the one login named) is ended at the portal with
// Logout, so a copy of it elsewhere stops working too, then deleted; then the role credentials derived from it
// go: the AWS CLI's own cache files of SSO credentials (~/.aws/cli/cache, `"ProviderType": "sso"`) and, through
// the `forgetDerived` the command wires in, tobira's session cache entries. A token the portal no longer takes
// is deleted all the same (the AWS CLI does so too); a portal that cannot be reached is said, since the token
// then stays valid there until it expires.
import { createHash } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ConfigFiles, SsoSessionSettings } from "../config/index.js";
import { chooseSession } from "./login-run.js";
import { clientOptions, ssoEndpoints } from "./sso-endpoints.js";
import { withSsoLockAt } from "./sso-lock.js";
import { type SsoTokenKey, ssoCacheFolder, ssoCachePath } from "./token-cache.js";

/** What the portal said to Logout: ended, already not valid (expired, signed out), or not reached. */
export type PortalLogout = "signed-out" | "already-invalid" | "failed";

export interface LoggedOutToken {
  file: string;
  startUrl?: string | undefined;
  ssoSession?: string | undefined;
  portalLogout: PortalLogout;
  /** Why the call failed, when it did (never the token). */
  detail?: string | undefined;
}

export interface SsoLogoutReport {
  tokens: LoggedOutToken[];
  /** AWS CLI credential cache files of SSO role credentials that were deleted. */
  awsCliCredentials: string[];
  /** tobira's cached sessions forgotten: the roles' credentials and those chained from them. */
  tobiraSessions: object[];
}

export interface SsoLogoutOptions {
  ssoSession?: string | undefined;
  profile?: string | undefined;
  json: boolean;
  env?: NodeJS.ProcessEnv | undefined;
  /** Forgets tobira's cached sessions of one login (or of all, for undefined); returns what went. */
  forgetDerived: (login: SsoTokenKey | undefined) => Promise<object[]>;
}

/** Where the AWS CLI caches role credentials (assumed roles and SSO roles alike). */
export function awsCliCacheFolder(env: NodeJS.ProcessEnv): string {
  return join(env.HOME || homedir(), ".aws", "cli", "cache");
}

/**
 * The AWS CLI v2's cache file name for a profile's SSO role credentials (botocore's SSOCredentialFetcher): the
 * SHA-1 of the compact, key-sorted JSON of the account, the role and the sso-session's name — or, for the
 * legacy form, the start URL.
 */
export function awsCliSsoCacheName(session: SsoTokenKey, accountId: string, roleName: string): string {
  const args =
    session.sessionName !== undefined
      ? { accountId, roleName, sessionName: session.sessionName }
      : { accountId, roleName, startUrl: session.startUrl };
  return `${createHash("sha1").update(JSON.stringify(args)).digest("hex")}.json`;
}

async function jsonOf(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
    return parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function jsonFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith(".json")).map((name) => join(folder, name));
}

/** Each token cache file name a config knows, with its session's settings (for the portal's endpoint). */
async function knownSessions(files: ConfigFiles, env: NodeJS.ProcessEnv) {
  const config = await import("../config/index.js");
  const byFile = new Map<string, { session: SsoSessionSettings; endpointUrl: string | undefined }>();
  for (const name of files.ssoSessions.keys()) {
    try {
      const session = config.ssoSessionSettings(files, name);
      byFile.set(ssoCachePath(session, env), { session, endpointUrl: session.endpointUrl });
    } catch {
      // an incomplete [sso-session] names no token tobira could have written
    }
  }
  for (const profile of files.profiles.keys()) {
    try {
      const view = config.profileView(files, profile);
      if (!view.keys.has("sso_start_url") || view.keys.has("sso_session")) continue;
      const session = config.profileSsoSession(files, view);
      byFile.set(ssoCachePath(session, env), {
        session,
        endpointUrl: view.keys.get("endpoint_url")?.value,
      });
    } catch {
      // as above
    }
  }
  return byFile;
}

/** The profiles of one login, with their account and role: the AWS CLI's cache names for them. */
async function cliCacheNamesOf(files: ConfigFiles, login: SsoTokenKey, env: NodeJS.ProcessEnv) {
  const config = await import("../config/index.js");
  const names = new Set<string>();
  for (const profile of files.profiles.keys()) {
    try {
      const view = config.profileView(files, profile);
      if (!view.keys.has("sso_start_url") && !view.keys.has("sso_session")) continue;
      const settings = config.profileSsoSettings(files, view);
      if (ssoCachePath(settings, env) !== ssoCachePath(login, env)) continue;
      names.add(awsCliSsoCacheName(settings, settings.accountId, settings.roleName));
    } catch {
      // a broken SSO profile has no credentials cached under its name
    }
  }
  return names;
}

async function portalLogout(
  token: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  endpointUrl: string | undefined,
): Promise<{ portalLogout: PortalLogout; detail?: string }> {
  const { SSOClient, LogoutCommand } = await import("@aws-sdk/client-sso");
  const portal = new SSOClient(clientOptions(String(token.region), ssoEndpoints(env, endpointUrl).portal));
  try {
    await portal.send(new LogoutCommand({ accessToken: String(token.accessToken) }));
    return { portalLogout: "signed-out" };
  } catch (error) {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === "UnauthorizedException") return { portalLogout: "already-invalid" };
    const status = e.$metadata?.httpStatusCode;
    return {
      portalLogout: "failed",
      detail: `${e.name ?? "Error"}: ${e.message ?? ""}${status ? ` (HTTP ${status})` : ""}`,
    };
  } finally {
    portal.destroy();
  }
}

/** One token file: Logout at the portal when it names a region (as the AWS CLI decides), then delete it. */
async function logOutFile(
  file: string,
  known: { session: SsoSessionSettings; endpointUrl: string | undefined } | undefined,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
): Promise<LoggedOutToken | undefined> {
  return withSsoLockAt(
    file,
    () => say(`waiting for another tobira process signing in with ${file}…`),
    async () => {
      const token = await jsonOf(file);
      if (token === undefined || !("accessToken" in token)) return undefined;
      const outcome =
        typeof token.region === "string" && token.region !== ""
          ? await portalLogout(token, env, known?.endpointUrl)
          : { portalLogout: "already-invalid" as const };
      await rm(file, { force: true });
      return {
        file,
        ...(typeof token.startUrl === "string" ? { startUrl: token.startUrl } : {}),
        ...(known?.session.sessionName === undefined ? {} : { ssoSession: known.session.sessionName }),
        ...outcome,
      };
    },
  );
}

/** The AWS CLI's SSO credential files: all of them, or those named for one login's profiles. */
async function sweepCliCredentials(names: Set<string> | undefined, env: NodeJS.ProcessEnv) {
  const removed: string[] = [];
  for (const path of await jsonFiles(awsCliCacheFolder(env))) {
    if (names !== undefined && !names.has(path.slice(path.lastIndexOf("/") + 1))) continue;
    if ((await jsonOf(path))?.ProviderType !== "sso") continue;
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}

function describe(token: LoggedOutToken): string {
  const what =
    token.ssoSession !== undefined ? `sso-session ${token.ssoSession}` : (token.startUrl ?? token.file);
  if (token.portalLogout === "signed-out") return `signed out of ${what} and removed ${token.file}`;
  if (token.portalLogout === "already-invalid")
    return `removed ${token.file} (${what}; the portal no longer took the token)`;
  return `removed ${token.file} (${what}), but the portal was not told (${token.detail}): the token stays valid there until it expires`;
}

export async function runSsoLogout(options: SsoLogoutOptions): Promise<SsoLogoutReport> {
  const env = options.env ?? process.env;
  const say = (line: string) => process.stderr.write(`tobira: ${line}\n`);
  const { loadConfigFiles } = await import("../config/index.js");
  const files = await loadConfigFiles({ env });
  const known = await knownSessions(files, env);
  const named = options.ssoSession !== undefined || options.profile !== undefined;
  const chosen = named ? await chooseSession(files, options, env) : undefined;
  const login = chosen?.session;
  const tokenFiles = login ? [ssoCachePath(login, env)] : await jsonFiles(ssoCacheFolder(env));
  const tokens: LoggedOutToken[] = [];
  for (const file of tokenFiles) {
    const done = await logOutFile(file, chosen ?? known.get(file), env, say);
    if (done) tokens.push(done);
  }
  const report: SsoLogoutReport = {
    tokens,
    awsCliCredentials: await sweepCliCredentials(
      login ? await cliCacheNamesOf(files, login, env) : undefined,
      env,
    ),
    tobiraSessions: await options.forgetDerived(login),
  };
  for (const token of tokens) say(describe(token));
  if (report.awsCliCredentials.length > 0)
    say(
      `removed ${report.awsCliCredentials.length} AWS CLI SSO credential file(s) from ${awsCliCacheFolder(env)}`,
    );
  if (report.tobiraSessions.length > 0)
    say(`forgot ${report.tobiraSessions.length} cached session(s) made from the login`);
  if (tokens.length === 0 && report.awsCliCredentials.length === 0 && report.tobiraSessions.length === 0)
    say(
      login
        ? `no login of ${login.sessionName !== undefined ? `sso-session ${login.sessionName}` : login.startUrl} is cached; nothing to sign out of`
        : "no IAM Identity Center login is cached; nothing to sign out of",
    );
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  return report;
}
