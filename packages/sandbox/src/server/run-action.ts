// Runs one authenticated call's action in its service's protocol: reads the action's name and input (`Action`
// and form parameters, or `X-Amz-Target` and a JSON body), admits the call, runs the action and encodes its result.

import { AwsServiceError } from "../protocol/errors.js";
import { jsonHeaders, parseJsonBody, parseTarget } from "../protocol/json.js";
import { parseFormEncoded, QueryParams, queryHeaders, queryResponseXml } from "../protocol/query.js";
import type { HttpAnswer } from "./http-answer.js";
import { headerValue, type IncomingAwsRequest } from "./incoming-request.js";
import type { ServiceCall } from "./runtime.js";
import type { JsonServiceDefinition, QueryServiceDefinition } from "./service-registry.js";

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

/** The service's own action of that name (never one inherited from Object.prototype). */
function ownAction<A>(actions: Record<string, A>, name: string): A | undefined {
  return Object.hasOwn(actions, name) ? actions[name] : undefined;
}

/** Names the call's action, for the action itself and the audit line. */
function nameAction(call: ServiceCall, action: string): void {
  call.action = action;
  call.audit.action = action;
}

function succeeded(call: ServiceCall, headers: Record<string, string>, body: string): HttpAnswer {
  return { status: 200, headers, body, audit: { ...call.audit, decision: call.audit.decision ?? "Allow" } };
}

export async function runQueryAction(
  service: QueryServiceDefinition,
  call: ServiceCall,
  request: IncomingAwsRequest,
): Promise<HttpAnswer> {
  const params = queryParamsOf(request);
  const action = params.get("Action");
  if (action === undefined || action === "") {
    throw new AwsServiceError(
      "MissingAction",
      "The request is missing an action or a required parameter.",
      400,
    );
  }
  nameAction(call, action);
  const handler = ownAction(service.actions, action);
  if (!handler) {
    throw new AwsServiceError(
      "InvalidAction",
      `Could not find operation ${action} for version ${service.shape.version}`,
      400,
    );
  }
  service.admit?.(call);
  const result = await handler(call, params);
  const body = service.xmlDialect
    ? service.xmlDialect.result(call.action, result, call.requestId)
    : queryResponseXml(service.shape, call.action, result, call.requestId);
  return succeeded(call, queryHeaders(call.requestId), body);
}

export async function runJsonAction(
  service: JsonServiceDefinition,
  call: ServiceCall,
  request: IncomingAwsRequest,
): Promise<HttpAnswer> {
  const target = parseTarget(headerValue(request, "x-amz-target"));
  nameAction(call, target.action);
  const handler = ownAction(service.actions, target.action);
  if (target.prefix !== service.targetPrefix || !handler) {
    throw new AwsServiceError(
      "UnknownOperationException",
      `Unknown operation ${headerValue(request, "x-amz-target")}`,
      400,
    );
  }
  service.admit?.(call);
  const result = await handler(call, parseJsonBody(request.body));
  return succeeded(call, jsonHeaders(call.requestId), JSON.stringify(result ?? {}));
}
