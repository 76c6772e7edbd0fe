// Turns one read request into one answer: authenticate, pick the service by the credential scope and the
// action by `Action` or `X-Amz-Target`, run it, and encode the result or the error in the service's protocol.

import type { AuditFacts } from "../audit/audit-log.js";
import type { ProtocolKind } from "../auth/auth-errors.js";
import { authenticate } from "../auth/authenticate.js";
import { readSignatureClaim } from "../auth/signature-claim.js";
import { AwsServiceError, internalFailure } from "../protocol/errors.js";
import { jsonErrorBody, jsonHeaders, parseJsonBody, parseTarget } from "../protocol/json.js";
import {
  GENERIC_QUERY_SHAPE,
  parseFormEncoded,
  QueryParams,
  type QueryServiceShape,
  queryErrorXml,
  queryHeaders,
  queryResponseXml,
} from "../protocol/query.js";
import { headerValue, type IncomingAwsRequest } from "./incoming-request.js";
import type { SandboxRuntime, ServiceCall } from "./runtime.js";
import type { QueryServiceDefinition, ServiceDefinition, ServiceRegistry } from "./service-registry.js";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  audit: AuditFacts;
  errorCode?: string;
}

/** Before the service is known, the request's own shape says which protocol its errors should take. */
export function protocolOfRequest(request: IncomingAwsRequest): ProtocolKind {
  const contentType = headerValue(request, "content-type") ?? "";
  return contentType.includes("x-amz-json") || headerValue(request, "x-amz-target") !== undefined
    ? "json"
    : "query";
}

/** An error answer in the given protocol. */
export function errorAnswer(
  error: AwsServiceError,
  protocol: ProtocolKind,
  requestId: string,
  audit: AuditFacts,
  shape: QueryServiceShape = GENERIC_QUERY_SHAPE,
): HttpAnswer {
  const failed: AuditFacts = {
    ...audit,
    decision: audit.decision ?? error.code,
    reason: audit.reason ?? error.message,
  };
  if (protocol === "json") {
    return {
      status: error.status,
      headers: jsonHeaders(requestId, error),
      body: jsonErrorBody(error),
      audit: failed,
      errorCode: error.code,
    };
  }
  return {
    status: error.status,
    headers: queryHeaders(requestId),
    body: queryErrorXml(shape, error, requestId),
    audit: failed,
    errorCode: error.code,
  };
}

/** Query parameters: the URL's (without the presigned X-Amz-* ones), then a form body's on top. */
function queryParamsOf(request: IncomingAwsRequest): QueryParams {
  const merged = new Map<string, string[]>();
  for (const [name, values] of request.query) {
    if (!name.startsWith("X-Amz-")) merged.set(name, values);
  }
  const contentType = headerValue(request, "content-type") ?? "";
  if (request.method === "POST" && (contentType === "" || contentType.includes("x-www-form-urlencoded"))) {
    for (const [name, values] of parseFormEncoded(request.body.toString("utf8"))) merged.set(name, values);
  }
  return new QueryParams(merged);
}

async function runQueryService(
  service: QueryServiceDefinition,
  call: ServiceCall,
  request: IncomingAwsRequest,
) {
  const params = queryParamsOf(request);
  const action = params.get("Action");
  if (action === undefined || action === "") {
    throw new AwsServiceError(
      "MissingAction",
      "The request is missing an action or a required parameter.",
      400,
    );
  }
  call.action = action;
  call.audit.action = action;
  const handler = Object.hasOwn(service.actions, action) ? service.actions[action] : undefined;
  if (!handler) {
    throw new AwsServiceError(
      "InvalidAction",
      `Could not find operation ${action} for version ${service.shape.version}`,
      400,
    );
  }
  service.admit?.(call);
  return handler(call, params);
}

export async function dispatch(
  request: IncomingAwsRequest,
  requestId: string,
  registry: ServiceRegistry,
  runtime: SandboxRuntime,
): Promise<HttpAnswer> {
  const audit: AuditFacts = {};
  let protocol = protocolOfRequest(request);
  let service: ServiceDefinition | undefined;
  try {
    const claim = readSignatureClaim(request, protocol);
    audit.service = claim.scope.service;
    audit.accessKeyId = claim.accessKeyId;
    service = registry.find(claim.scope.service);
    if (!service) {
      throw new AwsServiceError(
        "InvalidAction",
        `The sandbox does not serve the service '${claim.scope.service}' named in the credential scope; it serves: ${registry.signingNames().join(", ")}.`,
        400,
      );
    }
    protocol = service.protocol;
    const now = runtime.clock();
    const caller = await authenticate({
      request,
      claim,
      protocol,
      world: runtime.world,
      state: runtime.state,
      now,
    });
    audit.principalArn = caller.arn;
    if (caller.mfaAuthenticatedAtMs !== undefined) audit.mfa = true;
    else if (caller.credential !== "long-term") audit.mfa = false;
    const call: ServiceCall = {
      requestId,
      action: "",
      caller,
      region: claim.scope.region,
      now,
      sourceIp: request.sourceIp,
      runtime,
      audit,
    };
    if (service.protocol === "query") {
      const result = await runQueryService(service, call, request);
      return {
        status: 200,
        headers: queryHeaders(requestId),
        body: service.xmlDialect
          ? service.xmlDialect.result(call.action, result, requestId)
          : queryResponseXml(service.shape, call.action, result, requestId),
        audit: { ...audit, decision: audit.decision ?? "Allow" },
      };
    }
    const target = parseTarget(headerValue(request, "x-amz-target"));
    call.action = target.action;
    audit.action = target.action;
    const handler = Object.hasOwn(service.actions, target.action)
      ? service.actions[target.action]
      : undefined;
    if (target.prefix !== service.targetPrefix || !handler) {
      throw new AwsServiceError(
        "UnknownOperationException",
        `Unknown operation ${headerValue(request, "x-amz-target")}`,
        400,
      );
    }
    service.admit?.(call);
    const result = await handler(call, parseJsonBody(request.body));
    return {
      status: 200,
      headers: jsonHeaders(requestId),
      body: JSON.stringify(result ?? {}),
      audit: { ...audit, decision: audit.decision ?? "Allow" },
    };
  } catch (error) {
    const shape = service?.protocol === "query" ? service.shape : undefined;
    const dialect = service?.protocol === "query" ? service.xmlDialect : undefined;
    if (error instanceof AwsServiceError && dialect) {
      const answer = errorAnswer(error, protocol, requestId, audit, shape);
      return { ...answer, body: dialect.error(error, requestId) };
    }
    if (error instanceof AwsServiceError) return errorAnswer(error, protocol, requestId, audit, shape);
    // Never echo an unexpected error to the client (it could hold anything); say where to look instead.
    process.stderr.write(
      `sandbox: request ${requestId} failed: ${(error as Error)?.stack ?? String(error)}\n`,
    );
    return errorAnswer(internalFailure(), protocol, requestId, audit, shape);
  }
}
