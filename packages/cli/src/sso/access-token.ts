// A usable access token of an sso-session (or legacy start URL) for the portal: the cached one while it is more
// than five minutes from expiry; else, under the token's lock, the one another process just wrote, or one
// refreshed with the refresh token (written back to the cache); else the user must sign in again, and is told
// exactly how. Waiting on the lock is what makes commands started during a `tobira sso login` use its token.
import { TobiraError } from "../errors.js";
import { createToken, oauthDescription, oauthError } from "./oidc-calls.js";
import { ssoEndpoints } from "./sso-endpoints.js";
import { withSsoLock } from "./sso-lock.js";
import {
  cacheTime,
  loginHint,
  readSsoToken,
  type SsoCachedToken,
  type SsoTokenKey,
  writeSsoToken,
} from "./token-cache.js";

/** As for role credentials: a token this close to expiry is refreshed first. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface SsoTokenRequest extends SsoTokenKey {
  region: string;
  endpointUrl?: string | undefined;
}

/** The user has to sign in (again): no token, an expired one, or one the service no longer takes. */
export class SsoLoginRequiredError extends TobiraError {
  override name = "SsoLoginRequiredError";
}

function describeSession(key: SsoTokenKey): string {
  return key.sessionName !== undefined ? `sso-session "${key.sessionName}"` : `start URL ${key.startUrl}`;
}

export function loginRequired(key: SsoTokenKey, why: string): SsoLoginRequiredError {
  return new SsoLoginRequiredError(`the IAM Identity Center login of ${describeSession(key)} ${why}`, {
    hint: loginHint(key),
  });
}

function fresh(token: SsoCachedToken, now: number): boolean {
  return Date.parse(token.expiresAt) - now > REFRESH_MARGIN_MS;
}

function checkStartUrl(request: SsoTokenRequest, token: SsoCachedToken): void {
  if (token.startUrl.replace(/\/+$/, "") !== request.startUrl.replace(/\/+$/, "")) {
    throw loginRequired(request, `is for another start URL (${token.startUrl}, not ${request.startUrl})`);
  }
}

async function refreshed(
  request: SsoTokenRequest,
  token: SsoCachedToken,
  env: NodeJS.ProcessEnv,
  now: number,
) {
  const { refreshToken, clientId, clientSecret, registrationExpiresAt } = token;
  if (!refreshToken || !clientId || !clientSecret) return undefined;
  if (registrationExpiresAt && Date.parse(registrationExpiresAt) <= now) return undefined;
  const target = { region: token.region, endpoint: ssoEndpoints(env, request.endpointUrl).oidc };
  try {
    const answer = await createToken(target, { clientId, clientSecret }, { refreshToken });
    const next: SsoCachedToken = {
      ...token,
      accessToken: answer.accessToken ?? "",
      expiresAt: cacheTime(now + (answer.expiresIn ?? 0) * 1000),
      refreshToken: answer.refreshToken ?? refreshToken,
    };
    await writeSsoToken(request, next, env);
    return next;
  } catch (error) {
    if (oauthError(error) === "invalid_grant" || oauthError(error) === "expired_token") return undefined;
    throw new TobiraError(`refreshing the IAM Identity Center token failed: ${oauthDescription(error)}`, {
      hint: loginHint(request),
    });
  }
}

export async function ssoAccessToken(
  request: SsoTokenRequest,
  env: NodeJS.ProcessEnv = process.env,
  notice: (line: string) => void = () => undefined,
): Promise<string> {
  const now = Date.now();
  const cached = await readSsoToken(request, env);
  if (cached && fresh(cached, now)) {
    checkStartUrl(request, cached);
    return cached.accessToken;
  }
  return withSsoLock(
    request,
    env,
    () => notice(`waiting for another tobira process signing in to ${describeSession(request)}…`),
    async () => {
      const current = await readSsoToken(request, env);
      if (!current) throw loginRequired(request, "has not happened yet on this machine (or was signed out)");
      checkStartUrl(request, current);
      if (fresh(current, Date.now())) return current.accessToken;
      const renewed = await refreshed(request, current, env, Date.now());
      if (renewed) return renewed.accessToken;
      throw loginRequired(request, `expired at ${current.expiresAt}`);
    },
  );
}
