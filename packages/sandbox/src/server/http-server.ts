// The node:http server: reads each request (with a body size limit), hands it to dispatch, writes the
// answer with a request id and the sandbox's Date, and appends the audit line. Malformed input of any
// kind gets an AWS-shaped error; nothing a client sends can stop the server.

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { AuditLog } from "../audit/audit-log.js";
import { AwsServiceError } from "../protocol/errors.js";
import { parseFormEncoded } from "../protocol/query.js";
import { dispatch } from "./dispatch.js";
import { errorAnswer, type HttpAnswer, protocolOfRequest } from "./http-answer.js";
import { headerValue, type IncomingAwsRequest } from "./incoming-request.js";
import type { SandboxRuntime } from "./runtime.js";
import type { ServiceRegistry } from "./service-registry.js";

/** AWS APIs take small bodies; 1 MiB is far above any STS/IAM/KMS/SSM request the sandbox serves. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface SandboxServerOptions {
  registry: ServiceRegistry;
  runtime: SandboxRuntime;
  audit: AuditLog;
  maxBodyBytes?: number;
}

function sourceIpOf(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
}

function headersOf(request: IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values) out[name.toLowerCase()] = values;
  }
  return out;
}

/** Reads the body; resolves `undefined` (after draining the rest) when it is larger than the limit. */
function readBody(request: IncomingMessage, limit: number): Promise<{ body?: Buffer; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on("end", () => resolve(size <= limit ? { body: Buffer.concat(chunks), size } : { size }));
    request.on("error", reject);
  });
}

function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  const q = url.indexOf("?");
  return q < 0 ? { rawPath: url, rawQuery: "" } : { rawPath: url.slice(0, q), rawQuery: url.slice(q + 1) };
}

/** Reads one request off the socket and answers it: a plain route by its path, else dispatch to a service. */
async function answerRequest(
  options: SandboxServerOptions,
  request: IncomingMessage,
  requestId: string,
): Promise<HttpAnswer> {
  const { registry, runtime } = options;
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const { rawPath, rawQuery } = splitUrl(request.url ?? "/");
  const base: IncomingAwsRequest = {
    method: request.method ?? "GET",
    rawPath,
    query: new Map(),
    headers: headersOf(request),
    body: Buffer.alloc(0),
    sourceIp: sourceIpOf(request),
  };
  const protocol = protocolOfRequest(base);
  const { body, size } = await readBody(request, limit);
  if (body === undefined) {
    const error = new AwsServiceError(
      "RequestEntityTooLarge",
      `Request body of ${size} bytes exceeds the maximum of ${limit} bytes.`,
      413,
    );
    return errorAnswer(error, protocol, requestId, {});
  }
  let query: Map<string, string[]>;
  try {
    query = parseFormEncoded(rawQuery);
  } catch (error) {
    if (error instanceof AwsServiceError) return errorAnswer(error, protocol, requestId, {});
    throw error;
  }
  const route = registry.findRoute(rawPath);
  if (route) return route.handle({ ...base, query, body }, requestId, runtime);
  const targetRoute =
    request.method === "POST" ? registry.findTargetRoute(headerValue(base, "x-amz-target")) : undefined;
  if (targetRoute) return targetRoute.handle({ ...base, query, body }, requestId, runtime);
  return dispatch({ ...base, query, body }, requestId, registry, runtime);
}

/** One audit line per answered request, as CloudTrail would log it; a full disk must not fail the answer. */
function appendAuditLine(options: SandboxServerOptions, requestId: string, result: HttpAnswer): void {
  const { audit, runtime } = options;
  try {
    audit.append({
      time: new Date(runtime.clock()).toISOString(),
      requestId,
      ...result.audit,
      decision: result.audit.decision ?? "Allow",
      errorCode: result.errorCode,
      status: result.status,
    });
  } catch (error) {
    process.stderr.write(`sandbox: cannot append to ${audit.path}: ${(error as Error).message}\n`);
  }
}

function sendAnswer(
  options: SandboxServerOptions,
  response: ServerResponse,
  requestId: string,
  result: HttpAnswer,
  closeAfter: boolean,
): void {
  const body = Buffer.from(result.body);
  response.statusCode = result.status;
  for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
  response.setHeader("content-length", body.length);
  // The SDKs correct their clock from this header when they see a skew error, so it is the sandbox's time.
  response.setHeader("date", new Date(options.runtime.clock()).toUTCString());
  if (closeAfter) response.setHeader("connection", "close");
  response.end(body);
  appendAuditLine(options, requestId, result);
}

function serveRequest(
  options: SandboxServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const requestId = randomUUID();
  answerRequest(options, request, requestId)
    .then((result) => sendAnswer(options, response, requestId, result, result.status === 413))
    .catch((error: unknown) => {
      process.stderr.write(`sandbox: request ${requestId} failed: ${(error as Error)?.message ?? error}\n`);
      if (!response.headersSent) {
        const failure = new AwsServiceError("InternalFailure", "The request processing has failed.", 500);
        sendAnswer(options, response, requestId, errorAnswer(failure, "query", requestId, {}), true);
      } else {
        response.destroy();
      }
    });
}

/** Unparsable HTTP: answer 400 and drop the connection, as a front end would. */
function refuseUnparsable(socket: Duplex): void {
  if (socket.writable)
    socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  else socket.destroy();
}

function upgradeConnection(
  registry: ServiceRegistry,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const route = registry.findUpgrade(splitUrl(request.url ?? "/").rawPath);
  if (!route) {
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    return;
  }
  route.handleUpgrade(request, socket, head);
}

export function createSandboxServer(options: SandboxServerOptions): Server {
  const server = createServer((request, response) => serveRequest(options, request, response));
  server.on("clientError", (_error, socket) => refuseUnparsable(socket));
  server.on("upgrade", (request, socket, head) => upgradeConnection(options.registry, request, socket, head));
  return server;
}
