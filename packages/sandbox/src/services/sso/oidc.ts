// The IAM Identity Center OIDC service (sso-oauth): RegisterClient, StartDeviceAuthorization, and CreateToken
// with the device-code grant (RFC 8628) and the refresh-token grant. What it checks, as AWS does: the client
// and its secret, the device code's state (pending, slow_down when polled faster than the interval, denied,
// expired, used once), and refresh tokens that are current and not ended by Logout. A refresh rotates the
// refresh token. Clients registered with scopes get refresh tokens; clients without (the AWS CLI's legacy
// `sso_start_url` profiles) do not.

import { timingSafeEqual } from "node:crypto";
import type { IdentityCenter } from "../../world/model.js";
import {
  jsonBody,
  OidcError,
  oidcErrors,
  queryValue,
  type RestCall,
  restJsonRoute,
  stringField,
} from "./sso-answers.js";
import {
  CLIENT_LIFETIME_SECONDS,
  type DeviceGrant,
  type OidcClient,
  REFRESH_TOKEN_SECONDS,
  randomToken,
  SsoStore,
  type SsoToken,
} from "./sso-store.js";

export const DEVICE_PAGE_PATH = "/device";

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function instanceOf(call: RestCall): IdentityCenter {
  const instance = call.runtime.world.identityCenter;
  if (!instance) {
    throw oidcErrors.invalidRequest(
      "This sandbox world has no IAM Identity Center instance (no identityCenter section)",
    );
  }
  return instance;
}

function input(call: RestCall) {
  const body = jsonBody(call.request, oidcErrors.invalidRequest);
  const field = (name: string) => stringField(body, name, oidcErrors.invalidRequest);
  const required = (name: string) => {
    const value = field(name);
    if (value === undefined || value === "") throw oidcErrors.invalidRequest(`${name} is required`);
    return value;
  };
  return { body, field, required };
}

function registerClient(call: RestCall): unknown {
  instanceOf(call);
  const { body, required } = input(call);
  const clientName = required("clientName");
  if (required("clientType") !== "public") {
    throw new OidcError(
      "InvalidClientMetadataException",
      "invalid_client_metadata",
      "clientType must be public",
    );
  }
  const scopes = Array.isArray(body.scopes)
    ? body.scopes.filter((s): s is string => typeof s === "string")
    : [];
  const issuedAt = Math.floor(call.now / 1000);
  const client: OidcClient = {
    clientId: randomToken(16),
    clientSecret: randomToken(64),
    clientName,
    scopes,
    issuedAt,
    expiresAt: issuedAt + CLIENT_LIFETIME_SECONDS,
  };
  new SsoStore(call.runtime.state, call.now).addClient(client);
  call.audit.reason = `client "${clientName}" registered`;
  return {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    clientIdIssuedAt: client.issuedAt,
    clientSecretExpiresAt: client.expiresAt,
  };
}

/** The registered client whose secret matches, still within its lifetime. */
function checkedClient(call: RestCall, store: SsoStore, clientId: string, clientSecret: string): OidcClient {
  const client = store.client(clientId);
  if (!client || !sameText(client.clientSecret, clientSecret)) {
    throw oidcErrors.invalidClient("Invalid client id or client secret");
  }
  if (client.expiresAt * 1000 <= call.now)
    throw oidcErrors.invalidClient("The client registration has expired");
  return client;
}

function startDeviceAuthorization(call: RestCall): unknown {
  const instance = instanceOf(call);
  const { required } = input(call);
  const store = new SsoStore(call.runtime.state, call.now);
  const client = checkedClient(call, store, required("clientId"), required("clientSecret"));
  const startUrl = required("startUrl");
  if (startUrl.replace(/\/+$/, "") !== instance.startUrl.replace(/\/+$/, "")) {
    throw oidcErrors.invalidRequest(
      `The start URL ${startUrl} is not this instance's (${instance.startUrl})`,
    );
  }
  const grant = store.addGrant(client.clientId, instance.startUrl);
  const page = `${call.runtime.endpoint ?? "http://127.0.0.1"}${DEVICE_PAGE_PATH}`;
  call.audit.reason = `device authorization ${grant.userCode} for client "${client.clientName}"`;
  return {
    deviceCode: grant.deviceCode,
    userCode: grant.userCode,
    verificationUri: page,
    verificationUriComplete: `${page}?user_code=${grant.userCode}`,
    expiresIn: Math.round((grant.expiresAtMs - call.now) / 1000),
    interval: grant.intervalSeconds,
  };
}

/** RFC 8628 §3.5: pending and too-fast polls, a denial, an expiry, or the approved grant (used once). */
function redeemableGrant(
  call: RestCall,
  store: SsoStore,
  client: OidcClient,
  deviceCode: string,
): DeviceGrant {
  const grant = store.grantByDeviceCode(deviceCode);
  if (!grant || grant.clientId !== client.clientId)
    throw oidcErrors.invalidGrant("Invalid device code provided");
  if (grant.status === "redeemed") throw oidcErrors.invalidGrant("The device code has already been used");
  if (grant.expiresAtMs <= call.now) throw oidcErrors.expired("The device code");
  if (grant.status === "denied") throw oidcErrors.denied();
  const tooFast =
    grant.lastPollMs !== undefined && call.now - grant.lastPollMs < grant.intervalSeconds * 1000;
  grant.lastPollMs = call.now;
  if (grant.status === "pending") {
    // Each too-fast poll adds 5 seconds to the interval the client must keep (RFC 8628 §3.5).
    if (tooFast) grant.intervalSeconds += 5;
    store.save();
    throw tooFast ? oidcErrors.slowDown() : oidcErrors.pending();
  }
  grant.status = "redeemed";
  store.save();
  return grant;
}

function issueToken(
  call: RestCall,
  store: SsoStore,
  client: OidcClient,
  userName: string,
  signInId: string,
): unknown {
  const instance = instanceOf(call);
  const withRefresh = client.scopes.length > 0;
  const token: SsoToken = {
    accessToken: `aoa${randomToken(96)}`,
    refreshToken: withRefresh ? `aor${randomToken(96)}` : undefined,
    clientId: client.clientId,
    userName,
    startUrl: instance.startUrl,
    signInId,
    expiresAtMs: call.now + instance.accessTokenSeconds * 1000,
    refreshExpiresAtMs: call.now + (withRefresh ? REFRESH_TOKEN_SECONDS : instance.accessTokenSeconds) * 1000,
    revoked: false,
  };
  store.addToken(token);
  call.audit.principalArn = `identitystore:${instance.identityStoreId}:user/${userName}`;
  return {
    accessToken: token.accessToken,
    tokenType: "Bearer",
    expiresIn: instance.accessTokenSeconds,
    ...(token.refreshToken === undefined ? {} : { refreshToken: token.refreshToken }),
  };
}

function refreshGrant(call: RestCall, store: SsoStore, client: OidcClient, refreshToken: string): unknown {
  const old = store.tokenByRefresh(refreshToken);
  if (!old || old.clientId !== client.clientId || old.revoked) {
    throw oidcErrors.invalidGrant("Invalid refresh token provided");
  }
  if (old.refreshExpiresAtMs <= call.now) throw oidcErrors.expired("The refresh token");
  old.refreshToken = undefined;
  return issueToken(call, store, client, old.userName, old.signInId);
}

function createToken(call: RestCall): unknown {
  instanceOf(call);
  if (queryValue(call.request, "aws_iam") !== undefined) {
    throw oidcErrors.invalidRequest("CreateTokenWithIAM is not served by the sandbox");
  }
  const { field, required } = input(call);
  const store = new SsoStore(call.runtime.state, call.now);
  const client = checkedClient(call, store, required("clientId"), required("clientSecret"));
  const grantType = required("grantType");
  call.audit.action = `CreateToken(${grantType})`;
  if (grantType === "urn:ietf:params:oauth:grant-type:device_code") {
    const grant = redeemableGrant(call, store, client, field("deviceCode") ?? "");
    return issueToken(call, store, client, grant.userName ?? "", randomToken(12));
  }
  if (grantType === "refresh_token") return refreshGrant(call, store, client, field("refreshToken") ?? "");
  throw oidcErrors.unsupportedGrant(grantType);
}

export function oidcRoutes() {
  return [
    restJsonRoute("/client/register", "POST", "sso-oauth", "RegisterClient", registerClient),
    restJsonRoute(
      "/device_authorization",
      "POST",
      "sso-oauth",
      "StartDeviceAuthorization",
      startDeviceAuthorization,
    ),
    restJsonRoute("/token", "POST", "sso-oauth", "CreateToken", createToken),
  ];
}
