// Opens the websocket to StartSession's StreamUrl, with the upgrade GET signed with SigV4 (service
// `ssmmessages`) as session-manager-plugin ≥ 1.2.764.0 signs it (ssm-protocol.md §1.4), and keeps it alive
// with the plugin's pings (§1.6).
//
// Why hand-signing here, against the house rule of "SDK clients for every AWS call": the data channel has no
// SDK client (the plugin is the only official client), so the upgrade request is signed with the SDK's own
// signer, @smithy/signature-v4, exactly as the SDK signs its requests. Everything else goes through clients.
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import WebSocket from "ws";
import type { AwsCredentials } from "../../credentials/ports.js";
import { GatewayConnectError } from "./session-errors.js";

/** A presigned StreamUrl is used as it is (§1.4: the plugin signs only when none of these is present). */
const PRESIGN_PARAMETERS = [
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Signature",
  "X-Amz-Security-Token",
];

/** The plugin pings every 5 minutes with "keepalive" as application data (§1.6). */
const KEEPALIVE_MS = 5 * 60 * 1000;

export interface StreamSigningInput {
  streamUrl: string;
  credentials: AwsCredentials;
  region: string;
  /** Signing time (tests); default now. */
  now?: Date;
}

/**
 * The headers to send on the upgrade: Authorization, X-Amz-Date, X-Amz-Security-Token (temporary
 * credentials) and the Host they were signed with. Empty when the URL is already presigned.
 */
export async function signedUpgradeHeaders(input: StreamSigningInput): Promise<Record<string, string>> {
  const url = new URL(input.streamUrl);
  if (PRESIGN_PARAMETERS.some((name) => url.searchParams.has(name))) return {};
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const previous = query[name];
    query[name] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  const request = new HttpRequest({
    method: "GET",
    protocol: url.protocol === "wss:" ? "https:" : "http:",
    hostname: url.hostname,
    ...(url.port === "" ? {} : { port: Number(url.port) }),
    // The signer escapes the path itself (uriEscapePath), so it is given the decoded one.
    path: url.pathname
      .split("/")
      .map((segment) => decodeURIComponent(segment))
      .join("/"),
    query,
    headers: { host: url.host },
  });
  const signer = new SignatureV4({
    service: "ssmmessages",
    region: input.region,
    credentials: {
      accessKeyId: input.credentials.accessKeyId,
      secretAccessKey: input.credentials.secretAccessKey,
      ...(input.credentials.sessionToken === undefined
        ? {}
        : { sessionToken: input.credentials.sessionToken }),
    },
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: true,
    // The plugin adds no body-hash header to the upgrade (§1.4).
    applyChecksum: false,
  });
  const signed = await signer.sign(request, { signingDate: input.now ?? new Date() });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    const lower = name.toLowerCase();
    if (lower === "host") headers.Host = value;
    else if (lower === "authorization") headers.Authorization = value;
    else if (lower === "x-amz-date") headers["X-Amz-Date"] = value;
    else if (lower === "x-amz-security-token") headers["X-Amz-Security-Token"] = value;
  }
  return headers;
}

export interface OpenedStream {
  socket: WebSocket;
  /** Stops the keepalive pings (closing the socket stops them too). */
  stopKeepalive(): void;
}

/** Connects (signed) and resolves once the upgrade succeeded; rejects with the gateway's answer otherwise. */
export async function connectStream(input: StreamSigningInput): Promise<OpenedStream> {
  const headers = await signedUpgradeHeaders(input);
  const socket = new WebSocket(input.streamUrl, { headers, handshakeTimeout: 30_000 });
  await new Promise<void>((resolve, reject) => {
    const host = new URL(input.streamUrl).host;
    socket.once("open", () => resolve());
    socket.once("unexpected-response", (_request, response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (body.length < 2000) body += chunk;
      });
      response.on("end", () => {
        socket.terminate();
        reject(
          new GatewayConnectError(
            `the message gateway ${host} refused the data channel: HTTP ${response.statusCode}${body.trim() ? ` ${body.trim()}` : ""}`,
            {
              hint: "the session may have ended or its token expired; start the session again (and check the clock if this repeats: the upgrade is signed)",
            },
          ),
        );
      });
    });
    socket.once("error", (error) =>
      reject(
        new GatewayConnectError(`could not reach the message gateway ${host}: ${error.message}`, {
          hint: "check your network and proxy settings for the ssmmessages endpoint of this region",
          cause: error,
        }),
      ),
    );
  });
  socket.ping("keepalive");
  const timer = setInterval(() => {
    if (socket.readyState === WebSocket.OPEN) socket.ping("keepalive");
  }, KEEPALIVE_MS);
  timer.unref();
  socket.once("close", () => clearInterval(timer));
  return { socket, stopKeepalive: () => clearInterval(timer) };
}
