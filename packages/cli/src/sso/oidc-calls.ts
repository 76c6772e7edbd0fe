// The IAM Identity Center OIDC calls, through the AWS SDK's own @aws-sdk/client-sso-oidc (unsigned, as the
// service is): RegisterClient, StartDeviceAuthorization, CreateToken for the device-code and refresh-token
// grants. The OAuth error of a failed call (`authorization_pending`, `slow_down`, …) is in its `error` field.
import type { CreateTokenCommandOutput } from "@aws-sdk/client-sso-oidc";
import { clientOptions } from "./sso-endpoints.js";

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

export interface OidcTarget {
  region: string;
  endpoint?: string | undefined;
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** ms since the epoch */
  expiresAtMs: number;
}

async function client(target: OidcTarget) {
  const { SSOOIDCClient } = await import("@aws-sdk/client-sso-oidc");
  return new SSOOIDCClient(clientOptions(target.region, target.endpoint));
}

/** The OAuth error code of a failed OIDC call, when it has one. */
export function oauthError(error: unknown): string | undefined {
  const code = (error as { error?: unknown } | null)?.error;
  return typeof code === "string" ? code : undefined;
}

/** The service's description of a failed call (OIDC errors carry `error_description`, not `message`). */
export function oauthDescription(error: unknown): string {
  const e = error as { error_description?: unknown; message?: unknown; name?: unknown } | null;
  if (typeof e?.error_description === "string" && e.error_description !== "") return e.error_description;
  if (typeof e?.message === "string" && e.message !== "UnknownError") return e.message;
  return String(e?.name ?? error);
}

export async function registerClient(target: OidcTarget, scopes: string[]): Promise<RegisteredClient> {
  const { RegisterClientCommand } = await import("@aws-sdk/client-sso-oidc");
  const answer = await (await client(target)).send(
    new RegisterClientCommand({
      clientName: "tobira",
      clientType: "public",
      ...(scopes.length === 0 ? {} : { scopes, grantTypes: [DEVICE_CODE_GRANT, "refresh_token"] }),
    }),
  );
  return {
    clientId: answer.clientId ?? "",
    clientSecret: answer.clientSecret ?? "",
    expiresAtMs: (answer.clientSecretExpiresAt ?? 0) * 1000,
  };
}

export async function startDeviceAuthorization(
  target: OidcTarget,
  registered: RegisteredClient,
  startUrl: string,
) {
  const { StartDeviceAuthorizationCommand } = await import("@aws-sdk/client-sso-oidc");
  return (await client(target)).send(
    new StartDeviceAuthorizationCommand({
      clientId: registered.clientId,
      clientSecret: registered.clientSecret,
      startUrl,
    }),
  );
}

/** One CreateToken: the device-code grant, or the refresh-token grant. */
export async function createToken(
  target: OidcTarget,
  registered: Pick<RegisteredClient, "clientId" | "clientSecret">,
  grant: { deviceCode: string } | { refreshToken: string },
): Promise<CreateTokenCommandOutput> {
  const { CreateTokenCommand } = await import("@aws-sdk/client-sso-oidc");
  const input =
    "deviceCode" in grant
      ? { grantType: DEVICE_CODE_GRANT, deviceCode: grant.deviceCode }
      : { grantType: "refresh_token", refreshToken: grant.refreshToken };
  return (await client(target)).send(
    new CreateTokenCommand({
      clientId: registered.clientId,
      clientSecret: registered.clientSecret,
      ...input,
    }),
  );
}
