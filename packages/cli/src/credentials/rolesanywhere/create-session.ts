// One CreateSession call: the request as a @smithy/protocol-http HttpRequest (ARNs in the query string as the
// helper sends them, duration and session name in the JSON body), signed by x509-signer.ts and sent with
// @smithy/node-http-handler — there is no SDK client for the Roles Anywhere data plane to do it.

import { NodeHttpHandler } from "@smithy/node-http-handler";
import { HttpRequest } from "@smithy/protocol-http";
import { AwsRefusedError, TobiraError } from "../../errors.js";
import type { TemporaryCredentials } from "../ports.js";
import type { SessionTarget } from "./session-target.js";
import { signX509Request, type X509Identity } from "./x509-signer.js";

export interface RolesAnywhereSession {
  credentials: TemporaryCredentials;
  /** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  assumedRoleArn: string;
  roleArn: string;
}

function request(target: SessionTarget & { endpoint: string }): HttpRequest {
  const url = new URL(target.endpoint);
  const body: Record<string, unknown> = {};
  if (target.durationSeconds !== undefined) body.durationSeconds = target.durationSeconds;
  if (target.roleSessionName !== undefined) body.roleSessionName = target.roleSessionName;
  return new HttpRequest({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === "" ? {} : { port: Number(url.port) }),
    path: `${url.pathname.replace(/\/$/, "")}/sessions`,
    query: { profileArn: target.profileArn, roleArn: target.roleArn, trustAnchorArn: target.trustAnchorArn },
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function readBody(stream: unknown): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

function refusal(status: number, headers: Record<string, string>, text: string): TobiraError {
  let json: { message?: string; __type?: string } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // not JSON: a proxy or a wrong endpoint
  }
  const code = (headers["x-amzn-errortype"] ?? json.__type ?? `HTTP ${status}`).split(":")[0]!;
  const message = json.message ?? (text.slice(0, 200) || "no message");
  return new AwsRefusedError(`IAM Roles Anywhere refused CreateSession: ${code}: ${message}`, {
    code,
    hint:
      code === "AccessDeniedException"
        ? "check that the certificate chains to the trust anchor (--intermediates), is valid and not revoked, and that the role trusts rolesanywhere.amazonaws.com for it"
        : "check the trust anchor, profile and role ARNs and the region",
  });
}

function credentialsOf(text: string): RolesAnywhereSession {
  const json = JSON.parse(text) as {
    credentialSet?: {
      credentials?: Record<string, string>;
      assumedRoleUser?: { arn?: string };
      roleArn?: string;
    }[];
  };
  const entry = json.credentialSet?.[0];
  const c = entry?.credentials;
  if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || !c.expiration) {
    throw new TobiraError("IAM Roles Anywhere answered CreateSession without credentials");
  }
  return {
    credentials: {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: new Date(c.expiration).toISOString(),
    },
    assumedRoleArn: entry?.assumedRoleUser?.arn ?? "",
    roleArn: entry?.roleArn ?? "",
  };
}

export async function createRolesAnywhereSession(
  target: SessionTarget & { region: string; endpoint: string },
  identity: X509Identity,
  now: () => number = Date.now,
): Promise<RolesAnywhereSession> {
  const signed = signX509Request(request(target), identity, { region: target.region, now: now() });
  const handler = new NodeHttpHandler({ requestTimeout: 30_000, connectionTimeout: 10_000 });
  try {
    const { response } = await handler.handle(signed).catch((error: unknown) => {
      throw new TobiraError(
        `cannot reach IAM Roles Anywhere at ${target.endpoint}: ${(error as Error).message}`,
        {
          hint: "check --endpoint / AWS_ENDPOINT_URL and the network",
        },
      );
    });
    const text = await readBody(response.body);
    if (response.statusCode < 200 || response.statusCode >= 300)
      throw refusal(response.statusCode, response.headers, text);
    return credentialsOf(text);
  } finally {
    handler.destroy();
  }
}
