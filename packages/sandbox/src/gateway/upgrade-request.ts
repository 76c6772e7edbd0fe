// Reads a websocket upgrade request: the session id in `/v1/data-channel/<sessionId>`, and the request in the
// shape the sandbox's SigV4 verification reads (path, query, headers, empty body).

import type { IncomingMessage } from "node:http";
import { parseFormEncoded } from "../protocol/query.js";
import type { IncomingAwsRequest } from "../server/incoming-request.js";

export const DATA_CHANNEL_PATH_PREFIX = "/v1/data-channel/";

/** The session id of a data channel path, or undefined when the path is not one. */
export function sessionIdOfPath(rawPath: string): string | undefined {
  if (!rawPath.startsWith(DATA_CHANNEL_PATH_PREFIX)) return undefined;
  const encoded = rawPath.slice(DATA_CHANNEL_PATH_PREFIX.length);
  if (encoded === "" || encoded.includes("/")) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

export function upgradeRequestOf(request: IncomingMessage): IncomingAwsRequest {
  const url = request.url ?? "/";
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  const headers: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values) headers[name.toLowerCase()] = values;
  }
  return {
    method: request.method ?? "GET",
    rawPath,
    // parseFormEncoded throws an AwsServiceError on malformed escapes; the caller answers it.
    query: parseFormEncoded(rawQuery),
    headers,
    body: Buffer.alloc(0),
    sourceIp: (request.socket.remoteAddress ?? "").replace(/^::ffff:/, ""),
  };
}

/** Whether the upgrade carries a SigV4 signature (header or presigned query) to verify. */
export function isSigned(request: IncomingAwsRequest): boolean {
  return (
    request.headers.authorization !== undefined ||
    request.query.has("X-Amz-Algorithm") ||
    request.query.has("X-Amz-Credential")
  );
}
