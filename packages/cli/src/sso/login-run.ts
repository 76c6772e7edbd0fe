// `tobira sso login [--sso-session NAME | --profile P] [--no-browser] [--json]`: which session to sign in to
// (the named one, the profile's, AWS_PROFILE's, the default profile's, or the only one), then the device flow
// under the session's lock. A second login started meanwhile waits for the first and uses its token.
import { stat } from "node:fs/promises";
import type { ConfigFiles, SsoSessionSettings } from "../config/index.js";
import { UsageError } from "../errors.js";
import { deviceLogin } from "./device-login.js";
import { withSsoLock } from "./sso-lock.js";
import { readSsoToken, ssoCachePath } from "./token-cache.js";

export interface SsoLoginOptions {
  ssoSession?: string;
  profile?: string;
  browser: boolean;
  json: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface Chosen {
  session: SsoSessionSettings;
  endpointUrl: string | undefined;
  via: string;
}

/** The session `--sso-session`/`--profile` name, else AWS_PROFILE's, the default profile's, or the only one. */
export async function chooseSession(
  files: ConfigFiles,
  options: { ssoSession?: string | undefined; profile?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<Chosen> {
  const config = await import("../config/index.js");
  if (options.ssoSession !== undefined && options.profile !== undefined) {
    throw new UsageError("give --sso-session or --profile, not both");
  }
  if (options.ssoSession !== undefined) {
    const session = config.ssoSessionSettings(files, options.ssoSession);
    return { session, endpointUrl: session.endpointUrl, via: `sso-session ${options.ssoSession}` };
  }
  const name = options.profile ?? (env.AWS_PROFILE || undefined);
  const sessions = [...files.ssoSessions.keys()];
  if (name === undefined && !files.profiles.has("default") && sessions.length === 1) {
    const session = config.ssoSessionSettings(files, sessions[0]!);
    return { session, endpointUrl: session.endpointUrl, via: `sso-session ${sessions[0]}` };
  }
  const profile = name ?? "default";
  if (!files.profiles.has(profile)) {
    throw new UsageError(`profile "${profile}" is not defined in ${files.configFile.path}`, {
      hint:
        sessions.length > 0
          ? `sign in to a session: tobira sso login --sso-session ${sessions[0]}`
          : "name an SSO profile with --profile",
    });
  }
  const view = config.profileView(files, profile);
  if (!["sso_session", "sso_start_url"].some((key) => view.keys.has(key))) {
    throw new UsageError(
      `profile "${profile}" is not an IAM Identity Center profile (it has no sso_session or sso_start_url)`,
      {
        hint: "name one with --profile, or a session with --sso-session",
      },
    );
  }
  const session = config.profileSsoSession(files, view);
  const endpointUrl = view.keys.get("endpoint_url")?.value ?? session.endpointUrl;
  return { session, endpointUrl, via: `profile ${profile}` };
}

export async function runSsoLogin(options: SsoLoginOptions): Promise<void> {
  const env = options.env ?? process.env;
  const say = (line: string) => process.stderr.write(`tobira: ${line}\n`);
  const { loadConfigFiles } = await import("../config/index.js");
  const { session, endpointUrl, via } = await chooseSession(await loadConfigFiles({ env }), options, env);
  const startedAt = Date.now();
  const result = await withSsoLock(
    session,
    env,
    () => say(`waiting for another tobira process signing in to ${session.startUrl}…`),
    async () => {
      // Another login finished while we waited: its token is the one we wanted.
      const path = ssoCachePath(session, env);
      const written = await stat(path).catch(() => undefined);
      const current = written && written.mtimeMs >= startedAt ? await readSsoToken(session, env) : undefined;
      if (current && Date.parse(current.expiresAt) > Date.now()) {
        say("another tobira process has just signed in; using its token");
        return { token: current, path };
      }
      return deviceLogin(session, endpointUrl, { env, browser: options.browser, say });
    },
  );
  const report = {
    startUrl: session.startUrl,
    ...(session.sessionName === undefined ? {} : { ssoSession: session.sessionName }),
    expiresAt: result.token.expiresAt,
    refreshable: result.token.refreshToken !== undefined,
    cacheFile: result.path,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  say(
    `signed in to ${session.startUrl} (${via}); the token lasts until ${result.token.expiresAt}${report.refreshable ? " and is refreshed after" : ""}`,
  );
}
