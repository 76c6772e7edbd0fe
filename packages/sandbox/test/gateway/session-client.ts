// A Session Manager client for the gateway tests, built as tobira's CLI will be: StartSession through the
// SSM SDK client, a real `ws` websocket to the StreamUrl (SigV4-signed for `ssmmessages`, or unsigned),
// the client role of @tobira/session over it, and KMS GenerateDataKey through the KMS SDK client.

import assert from "node:assert/strict";
import { GenerateDataKeyCommand, type KMSClient } from "@aws-sdk/client-kms";
import { type SSMClient, StartSessionCommand, type StartSessionCommandInput } from "@aws-sdk/client-ssm";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import {
  type ClientDataChannel,
  type ClientSessionInfo,
  type DataChannelEnd,
  type DataChannelTuning,
  openClientDataChannel,
  websocketTransport,
} from "@tobira/session";
import WebSocket from "ws";
import type { Credentials } from "../server/sandbox-fixture.js";
import { REGION } from "../ssm/workload-clients.js";

export interface OpenedSession {
  sessionId: string;
  socket: WebSocket;
  channel: ClientDataChannel;
  /** Everything received as Output (PT 1), decoded as UTF-8. */
  output(): string;
  stderr(): string;
  exitCode(): number | undefined;
  ready: Promise<ClientSessionInfo>;
  ended: Promise<DataChannelEnd>;
  /** Resolves once the output contains `text` (rejects if the channel ends first). */
  waitFor(text: string | RegExp): Promise<string>;
}

/** The websocket upgrade headers SigV4-signed for `ssmmessages`, as plugin ≥ 1.2.764.0 sends them (§1.4). */
export async function signedUpgradeHeaders(
  url: string,
  credentials: Credentials,
): Promise<Record<string, string>> {
  const parsed = new URL(url);
  const query: Record<string, string> = {};
  for (const [name, value] of parsed.searchParams) query[name] = value;
  const request = new HttpRequest({
    method: "GET",
    protocol: "http:",
    hostname: parsed.hostname,
    port: Number(parsed.port),
    path: decodeURIComponent(parsed.pathname),
    query,
    headers: { host: parsed.host },
  });
  const signer = new SignatureV4({
    credentials,
    region: REGION,
    service: "ssmmessages",
    sha256: Hash.bind(null, "sha256"),
  });
  const signed = await signer.sign(request);
  return signed.headers as Record<string, string>;
}

export function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("open", () => resolve(socket));
    socket.once("unexpected-response", (_request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      response.on("end", () => reject(new Error(`upgrade refused: ${response.statusCode} ${body}`)));
    });
    socket.once("error", reject);
  });
}

/** Waits for the session's end and checks the agent ended it with channel_closed, as every normal end does. */
export async function closedByAgent(session: OpenedSession): Promise<DataChannelEnd> {
  const end = await session.ended;
  assert.equal(end.reason, "channel-closed");
  return end;
}

/** A session of a command document (non-interactive by default) running `command` on `target`. */
export function openCommandSession(
  options: Omit<OpenOptions, "start">,
  target: string,
  command: string,
  document = "AWS-StartNonInteractiveCommand",
): Promise<OpenedSession> {
  return openSession({
    ...options,
    start: { Target: target, DocumentName: document, Parameters: { command: [command] } },
  });
}

export interface OpenOptions {
  ssm: SSMClient;
  kms?: KMSClient;
  credentials: Credentials;
  start: StartSessionCommandInput;
  signed?: boolean;
  /** Replace the token (to test refusals). */
  token?: (token: string) => string;
  /** The client's data channel tuning (a fixed frame rate, say). */
  tuning?: DataChannelTuning;
}

export async function openSession(options: OpenOptions): Promise<OpenedSession> {
  const started = await options.ssm.send(new StartSessionCommand(options.start));
  const sessionId = started.SessionId!;
  const url = started.StreamUrl!;
  const headers = options.signed === false ? {} : await signedUpgradeHeaders(url, options.credentials);
  const socket = await connect(url, headers);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let exit: number | undefined;
  const waiters: (() => void)[] = [];
  const notify = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  const kms = options.kms;
  const channel = openClientDataChannel({
    transport: websocketTransport(socket),
    token: options.token ? options.token(started.TokenValue!) : started.TokenValue!,
    sessionId,
    targetId: options.start.Target!,
    ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
    ...(kms === undefined
      ? {}
      : {
          generateDataKey: async ({ keyId, encryptionContext, numberOfBytes }) => {
            const key = await kms.send(
              new GenerateDataKeyCommand({
                KeyId: keyId,
                EncryptionContext: encryptionContext,
                NumberOfBytes: numberOfBytes,
              }),
            );
            return { plaintext: key.Plaintext!, ciphertextBlob: key.CiphertextBlob! };
          },
        }),
    onOutput: (bytes) => {
      out.push(Buffer.from(bytes));
      notify();
    },
    onStderr: (bytes) => {
      err.push(Buffer.from(bytes));
      notify();
    },
    onExit: (code) => {
      exit = code;
    },
    onEnd: () => notify(),
  });
  let endedYet = false;
  void channel.ended.then(() => {
    endedYet = true;
    notify();
  });
  const output = () => Buffer.concat(out).toString("utf8");
  return {
    sessionId,
    socket,
    channel,
    output,
    stderr: () => Buffer.concat(err).toString("utf8"),
    exitCode: () => exit,
    ready: channel.ready,
    ended: channel.ended,
    waitFor(text) {
      const found = () => (typeof text === "string" ? output().includes(text) : text.test(output()));
      return new Promise((resolve, reject) => {
        const check = () => {
          if (found()) resolve(output());
          else if (endedYet)
            reject(
              new Error(`channel ended before ${String(text)} appeared; output: ${JSON.stringify(output())}`),
            );
          else waiters.push(check);
        };
        check();
      });
    },
  };
}
