// An IMDSv2-compatible credential endpoint on 127.0.0.1, as the helper's `serve` offers: SDKs pointed at it
// with AWS_EC2_METADATA_SERVICE_ENDPOINT fetch the Roles Anywhere role's credentials as from an instance.
// PUT /latest/api/token (TTL 1–21600 s, at most 256 live tokens), then with the token:
// GET /latest/meta-data/iam/security-credentials/ (the role name) and …/<role name> (the credentials JSON).
// Requests carrying X-Forwarded-For are refused: a proxy in front would hand the credentials to anyone.

import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { FreshCredentials } from "./fresh-credentials.js";

export const DEFAULT_IMDS_PORT = 9911;
const TOKEN_TTL_HEADER = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER = "x-aws-ec2-metadata-token";
const MAX_TOKENS = 256;
const CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/";

function reply(response: ServerResponse, status: number, body: string, type = "text/plain"): void {
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  response.end(body);
}

class TokenBook {
  private readonly tokens = new Map<string, number>();
  constructor(private readonly now: () => number) {}

  issue(ttlSeconds: number): string {
    const token = randomBytes(32).toString("base64url");
    if (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value as string);
    this.tokens.set(token, this.now() + ttlSeconds * 1000);
    return token;
  }

  valid(token: string | undefined): boolean {
    const expires = token === undefined ? undefined : this.tokens.get(token);
    return expires !== undefined && expires > this.now();
  }
}

async function credentialsBody(fresh: FreshCredentials): Promise<string> {
  const { credentials } = await fresh.get();
  return JSON.stringify({
    Code: "Success",
    LastUpdated: new Date(fresh.lastUpdated).toISOString().replace(/\.\d{3}Z$/, "Z"),
    Type: "AWS-HMAC",
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Token: credentials.sessionToken,
    Expiration: credentials.expiration.replace(/\.\d{3}Z$/, "Z"),
  });
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  fresh: FreshCredentials,
  tokens: TokenBook,
) {
  const path = (request.url ?? "/").split("?")[0]!;
  if (request.headers["x-forwarded-for"] !== undefined)
    return reply(response, 400, "X-Forwarded-For is not accepted");
  if (request.method === "PUT" && path === "/latest/api/token") {
    const ttl = Number(request.headers[TOKEN_TTL_HEADER]);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600)
      return reply(response, 400, `${TOKEN_TTL_HEADER} must be 1 to 21600`);
    return reply(response, 200, tokens.issue(ttl));
  }
  if (request.method !== "GET") return reply(response, 405, "");
  if (!tokens.valid(request.headers[TOKEN_HEADER] as string | undefined)) return reply(response, 401, "");
  if (path === CREDENTIALS_PATH || path === CREDENTIALS_PATH.slice(0, -1))
    return reply(response, 200, fresh.roleName);
  if (path === `${CREDENTIALS_PATH}${fresh.roleName}`)
    return reply(response, 200, await credentialsBody(fresh), "application/json");
  return reply(response, 404, "");
}

export function createImdsServer(fresh: FreshCredentials, now: () => number = Date.now): Server {
  const tokens = new TokenBook(now);
  return createServer((request, response) => {
    answer(request, response, fresh, tokens).catch((error: unknown) => {
      process.stderr.write(`tobira: ${(error as Error).message}\n`);
      if (!response.headersSent) reply(response, 500, "");
    });
  });
}
