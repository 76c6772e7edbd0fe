// The wire shapes of IAM Identity Center's two REST-JSON services. Both name the error in
// `x-amzn-ErrorType`; the OIDC service's body is OAuth's `{"error", "error_description"}` (RFC 6749 §5.2,
// RFC 8628 §3.5), the portal's is `{"message"}`. Neither is SigV4-signed: OIDC calls carry client secrets
// and device codes in the body, portal calls the access token in `x-amz-sso_bearer_token`.

import type { AuditFacts } from "../../audit/audit-log.js";
import { AwsServiceError } from "../../protocol/errors.js";
import type { HttpAnswer } from "../../server/http-answer.js";
import { headerValue, type IncomingAwsRequest } from "../../server/incoming-request.js";
import type { SandboxRuntime } from "../../server/runtime.js";
import type { HttpRoute } from "../../server/service-registry.js";

/** An OIDC error: the exception's name (header), its OAuth code and description (body). */
export class OidcError extends AwsServiceError {
  constructor(
    code: string,
    readonly oauthError: string,
    description: string,
    status = 400,
  ) {
    super(code, description, status);
  }
}

export const oidcErrors = {
  pending: () =>
    new OidcError("AuthorizationPendingException", "authorization_pending", "Authorization is still pending"),
  slowDown: () =>
    new OidcError(
      "SlowDownException",
      "slow_down",
      "Client is polling faster than the interval the device authorization gave",
    ),
  expired: (what: string) => new OidcError("ExpiredTokenException", "expired_token", `${what} has expired`),
  denied: () =>
    new OidcError("AccessDeniedException", "access_denied", "The user denied the authorization request"),
  invalidGrant: (why: string) => new OidcError("InvalidGrantException", "invalid_grant", why),
  invalidClient: (why: string) => new OidcError("InvalidClientException", "invalid_client", why, 401),
  invalidRequest: (why: string) => new OidcError("InvalidRequestException", "invalid_request", why),
  unsupportedGrant: (grant: string) =>
    new OidcError(
      "UnsupportedGrantTypeException",
      "unsupported_grant_type",
      `Unsupported grant type: ${grant}`,
    ),
};

export const portalErrors = {
  unauthorized: () => new AwsServiceError("UnauthorizedException", "Session token not found or invalid", 401),
  forbidden: () => new AwsServiceError("ForbiddenException", "No access", 403),
  invalidRequest: (why: string) => new AwsServiceError("InvalidRequestException", why, 400),
};

function jsonAnswer(
  status: number,
  requestId: string,
  body: unknown,
  audit: AuditFacts,
  error?: AwsServiceError,
): HttpAnswer {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-amzn-requestid": requestId,
  };
  if (error) headers["x-amzn-errortype"] = error.code;
  return {
    status,
    headers,
    body: body === undefined ? "" : JSON.stringify(body),
    audit: error
      ? { ...audit, decision: audit.decision ?? error.code, reason: audit.reason ?? error.message }
      : audit,
    ...(error ? { errorCode: error.code } : {}),
  };
}

function errorBody(error: AwsServiceError): unknown {
  return error instanceof OidcError
    ? { error: error.oauthError, error_description: error.message }
    : { message: error.message };
}

/** The request's JSON body as an object (empty = {}); anything else is the service's InvalidRequest. */
export function jsonBody(
  request: IncomingAwsRequest,
  invalid: (why: string) => AwsServiceError,
): Record<string, unknown> {
  const text = request.body.toString("utf8");
  if (text.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw invalid("The request body is not a JSON object");
}

/** A string field of the input, or undefined; a field of another type is refused. */
export function stringField(
  input: Record<string, unknown>,
  name: string,
  invalid: (why: string) => AwsServiceError,
): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalid(`${name} must be a string`);
  return value;
}

export function queryValue(request: IncomingAwsRequest, name: string): string | undefined {
  const values = request.query.get(name);
  return values?.[values.length - 1];
}

export function bearerToken(request: IncomingAwsRequest): string | undefined {
  return headerValue(request, "x-amz-sso_bearer_token");
}

export interface RestCall {
  request: IncomingAwsRequest;
  runtime: SandboxRuntime;
  requestId: string;
  now: number;
  audit: AuditFacts;
}

export type RestAction = (call: RestCall) => unknown;

/** One REST-JSON operation on its own path and method, with AWS's error shapes and one audit line. */
export function restJsonRoute(
  path: string,
  method: string,
  service: string,
  action: string,
  run: RestAction,
): HttpRoute {
  return {
    path,
    handle: async (request, requestId, runtime) => {
      const audit: AuditFacts = { service, action };
      try {
        if (request.method !== method) {
          throw new AwsServiceError(
            "UnknownOperationException",
            `${request.method} ${path} is not an operation; use ${method}`,
            404,
          );
        }
        const result = await run({ request, runtime, requestId, now: runtime.clock(), audit });
        return jsonAnswer(200, requestId, result ?? {}, { ...audit, decision: audit.decision ?? "Allow" });
      } catch (error) {
        if (!(error instanceof AwsServiceError)) throw error;
        return jsonAnswer(error.status, requestId, errorBody(error), audit, error);
      }
    },
  };
}
