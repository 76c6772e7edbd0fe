// Asks `tobira node serve` over its Unix socket for the role credentials (what `tobira node credentials` and
// `tobira node exec` do for a non-root user): the credential_process JSON, or the server's reason as an error.

import { request } from "node:http";
import type { AwsCredentials } from "../credentials/ports.js";
import { TobiraError } from "../errors.js";
import { CREDENTIALS_PATH } from "./node-socket.js";

export class NodeServerError extends TobiraError {
  override name = "NodeServerError";
}

function get(socket: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath: socket, path: CREDENTIALS_PATH, method: "GET", timeout: 5000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 5 s")));
    req.on("error", reject);
    req.end();
  });
}

/** The credentials as the server sent them (raw JSON text) and parsed. */
export async function fetchNodeCredentials(
  socket: string,
): Promise<{ json: string; credentials: AwsCredentials }> {
  let answer: { status: number; body: string };
  try {
    answer = await get(socket);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NodeServerError(
      `cannot reach tobira node serve on ${socket}: ${code ?? (error as Error).message}`,
      {
        hint:
          code === "ENOENT" || code === "ECONNREFUSED"
            ? "is `tobira node serve` running? (systemctl status tobira-node)"
            : "pass --socket or set TOBIRA_NODE_SOCKET to where it listens",
      },
    );
  }
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    body = {};
  }
  if (answer.status !== 200) {
    throw new NodeServerError(String(body.error ?? `the server answered ${answer.status}`), {
      ...(typeof body.hint === "string" ? { hint: body.hint } : {}),
    });
  }
  return {
    json: answer.body,
    credentials: {
      accessKeyId: String(body.AccessKeyId),
      secretAccessKey: String(body.SecretAccessKey),
      sessionToken: String(body.SessionToken),
      expiration: String(body.Expiration),
    },
  };
}
