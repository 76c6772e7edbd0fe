// The OAuth device flow (RFC 8628) against IAM Identity Center: register a public client, start a device
// authorization, tell the user where to go and which code to confirm (and open the browser when there is one),
// then poll CreateToken every `interval` seconds: `authorization_pending` waits, `slow_down` adds five seconds to
// the interval, `access_denied` and `expired_token` end the login with a clear error. The token goes into the
// AWS CLI's cache file for the session.
import { setTimeout as sleep } from "node:timers/promises";
import type { SsoSessionSettings } from "../config/index.js";
import { TobiraError } from "../errors.js";
import { openInBrowser } from "../terminal/open-browser.js";
import {
  createToken,
  type OidcTarget,
  oauthDescription,
  oauthError,
  type RegisteredClient,
  registerClient,
  startDeviceAuthorization,
} from "./oidc-calls.js";
import { ssoEndpoints } from "./sso-endpoints.js";
import { cacheTime, readSsoToken, type SsoCachedToken, writeSsoToken } from "./token-cache.js";

/** RFC 8628 §3.2: the interval when the service gives none, and what each slow_down adds. */
const DEFAULT_INTERVAL_SECONDS = 5;
const SLOW_DOWN_SECONDS = 5;
/** A registration this close to its end is made anew rather than reused. */
const REGISTRATION_MARGIN_MS = 24 * 3600_000;

export interface DeviceLoginOptions {
  env: NodeJS.ProcessEnv;
  browser: boolean;
  /** Lines for the user (stderr). */
  say: (line: string) => void;
}

/** The client registration the cache file keeps, when it is for these scopes and still good for a day. */
async function reusableClient(
  session: SsoSessionSettings,
  env: NodeJS.ProcessEnv,
): Promise<RegisteredClient | undefined> {
  const cached = await readSsoToken(session, env).catch(() => undefined);
  if (!cached?.clientId || !cached.clientSecret || !cached.registrationExpiresAt) return undefined;
  const expiresAtMs = Date.parse(cached.registrationExpiresAt);
  if (!(expiresAtMs - Date.now() > REGISTRATION_MARGIN_MS) || cached.region !== session.region)
    return undefined;
  return { clientId: cached.clientId, clientSecret: cached.clientSecret, expiresAtMs };
}

async function pollForToken(
  target: OidcTarget,
  registered: RegisteredClient,
  device: { deviceCode: string; interval: number; expiresAtMs: number },
) {
  let interval = device.interval;
  for (;;) {
    await sleep(interval * 1000);
    try {
      return await createToken(target, registered, { deviceCode: device.deviceCode });
    } catch (error) {
      const code = oauthError(error);
      if (code === "authorization_pending" && Date.now() < device.expiresAtMs) continue;
      if (code === "slow_down") {
        interval += SLOW_DOWN_SECONDS;
        continue;
      }
      if (code === "access_denied") {
        throw new TobiraError("the sign-in request was denied in the browser", {
          hint: "run `tobira sso login` again and choose Allow",
        });
      }
      if (code === "expired_token" || code === "authorization_pending") {
        throw new TobiraError("the code expired before it was approved", {
          hint: "run `tobira sso login` again and approve the new code within 10 minutes",
        });
      }
      throw new TobiraError(`IAM Identity Center refused the sign-in: ${oauthDescription(error)}`);
    }
  }
}

export async function deviceLogin(
  session: SsoSessionSettings,
  configuredEndpoint: string | undefined,
  options: DeviceLoginOptions,
): Promise<{ token: SsoCachedToken; path: string }> {
  const target: OidcTarget = {
    region: session.region,
    endpoint: ssoEndpoints(options.env, configuredEndpoint).oidc,
  };
  const registered =
    (await reusableClient(session, options.env)) ??
    (await registerClient(target, session.registrationScopes));
  const device = await startDeviceAuthorization(target, registered, session.startUrl);
  const url = device.verificationUriComplete ?? device.verificationUri ?? "";
  options.say(`to sign in to ${session.startUrl}, open ${url}`);
  options.say(`and confirm the code ${device.userCode}`);
  if (options.browser && (await openInBrowser(url, options.env))) options.say("(opened in your browser)");
  const answer = await pollForToken(target, registered, {
    deviceCode: device.deviceCode ?? "",
    interval: device.interval ?? DEFAULT_INTERVAL_SECONDS,
    expiresAtMs: Date.now() + (device.expiresIn ?? 600) * 1000,
  });
  const token: SsoCachedToken = {
    startUrl: session.startUrl,
    region: session.region,
    accessToken: answer.accessToken ?? "",
    expiresAt: cacheTime(Date.now() + (answer.expiresIn ?? 0) * 1000),
    refreshToken: answer.refreshToken,
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
    registrationExpiresAt: cacheTime(registered.expiresAtMs),
  };
  return { token, path: await writeSsoToken(session, token, options.env) };
}
