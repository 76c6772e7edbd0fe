// Runs one authenticated call of a REST-JSON service: the method and path pick the route (its `{label}`
// segments become the action's labels), the JSON body is the input, and the result is written as JSON.

import { AwsServiceError } from "../protocol/errors.js";
import { parseJsonBody } from "../protocol/json.js";
import type { HttpAnswer } from "./http-answer.js";
import type { IncomingAwsRequest } from "./incoming-request.js";
import type { ServiceCall } from "./runtime.js";
import type { RestJsonRoute, RestJsonServiceDefinition } from "./service-registry.js";

/** The route's labels when `rawPath` fits its template, else undefined. */
function matchPath(template: string, rawPath: string): Record<string, string> | undefined {
  const want = template.split("/");
  const got = rawPath.split("/");
  if (want.length !== got.length) return undefined;
  const labels: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    const label = /^\{(\w+)\}$/.exec(part);
    if (label) {
      if (got[i] === "") return undefined;
      labels[label[1]!] = decodeURIComponent(got[i]!);
    } else if (part !== got[i]) {
      return undefined;
    }
  }
  return labels;
}

function findRoute(
  service: RestJsonServiceDefinition,
  request: IncomingAwsRequest,
): { route: RestJsonRoute; labels: Record<string, string> } | undefined {
  for (const route of service.routes) {
    if (route.method !== request.method) continue;
    const labels = matchPath(route.path, request.rawPath);
    if (labels) return { route, labels };
  }
  return undefined;
}

export async function runRestJsonAction(
  service: RestJsonServiceDefinition,
  call: ServiceCall,
  request: IncomingAwsRequest,
): Promise<HttpAnswer> {
  const found = findRoute(service, request);
  if (!found) {
    throw new AwsServiceError(
      "UnknownOperationException",
      `No ${service.signingName} operation at ${request.method} ${request.rawPath}`,
      404,
    );
  }
  call.action = found.route.action;
  call.audit.action = found.route.action;
  service.admit?.(call);
  const body = request.method === "GET" || request.method === "DELETE" ? {} : parseJsonBody(request.body);
  const result = await found.route.run(call, { labels: found.labels, query: request.query, body });
  return {
    status: result.status ?? 200,
    headers: { "content-type": "application/json", "x-amzn-requestid": call.requestId },
    body: JSON.stringify(result.body ?? {}),
    audit: { ...call.audit, decision: call.audit.decision ?? "Allow" },
  };
}
