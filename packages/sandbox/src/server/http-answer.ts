// The answer the server writes for one request, and AWS's error answers in the query and JSON protocols.
// Its own module so that dispatch, the service registry's routes and the server share it without importing
// each other.

import type { AuditFacts } from "../audit/audit-log.js";
import type { ProtocolKind } from "../auth/auth-errors.js";
import type { AwsServiceError } from "../protocol/errors.js";
import { jsonErrorBody, jsonHeaders } from "../protocol/json.js";
import {
  GENERIC_QUERY_SHAPE,
  type QueryServiceShape,
  queryErrorXml,
  queryHeaders,
} from "../protocol/query.js";
import { headerValue, type IncomingAwsRequest } from "./incoming-request.js";

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
