// The AWS JSON 1.1 protocol (later KMS, SSM): X-Amz-Target names the action, JSON in, JSON out.

import { AwsServiceError } from "./errors.js";

export const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

/** The service's target prefix (e.g. "TrentService") and the action from `X-Amz-Target: TrentService.Encrypt`. */
export function parseTarget(header: string | undefined): { prefix: string; action: string } {
  const dot = header?.lastIndexOf(".") ?? -1;
  if (header === undefined || dot <= 0 || dot === header.length - 1) {
    throw new AwsServiceError(
      "UnknownOperationException",
      "The request is missing a valid X-Amz-Target header naming the operation.",
      400,
    );
  }
  return { prefix: header.slice(0, dot), action: header.slice(dot + 1) };
}

/** The body as a JSON object; an empty body is `{}` as the SDKs send for input-less operations. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8");
  if (text.trim().length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsServiceError(
      "SerializationException",
      "Start of structure or map found where not expected.",
      400,
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new AwsServiceError("SerializationException", "The request body must be a JSON object.", 400);
  }
  return parsed as Record<string, unknown>;
}

/** AWS's JSON error body: `{"__type": code, "message": …}`. */
export function jsonErrorBody(error: AwsServiceError): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}

/** Headers of a JSON-protocol response; errors also name their type in `x-amzn-ErrorType`. */
export function jsonHeaders(requestId: string, error?: AwsServiceError): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": JSON_CONTENT_TYPE,
    "x-amzn-requestid": requestId,
  };
  if (error) headers["x-amzn-errortype"] = error.code;
  return headers;
}
