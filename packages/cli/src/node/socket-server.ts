// The Unix-socket server of `tobira node serve`: every connection's peer is asked of the kernel when it
// connects; a request from a peer not on the allow list gets 403 and nothing else, an allowed one the
// credentials as credential_process JSON, or 503 with the reason when the agent's file cannot be served.

import { chmodSync, lstatSync, mkdirSync, type Stats, statSync, unlinkSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { dirname } from "node:path";
import { TobiraError } from "../errors.js";
import { credentialProcessJson } from "../outputs/credential-process/version1-json.js";
import type { NodeFiles } from "./agent-files.js";
import {
  type NodeCredentials,
  NodeCredentialsError,
  readNodeCredentials,
  stillValid,
} from "./credentials-reader.js";
import { type AllowList, peerAllowed } from "./local-accounts.js";
import { CREDENTIALS_PATH } from "./node-socket.js";
import type { PeerOf } from "./peer-check.js";

export interface SocketServerOptions {
  socket: string;
  files: NodeFiles;
  allow: AllowList;
  peerOf: PeerOf;
  log: (line: string) => void;
}

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  response.end(body);
}

function errorBody(error: unknown): string {
  const known = error instanceof TobiraError;
  return `${JSON.stringify({
    error: known ? error.message : "the credentials could not be read",
    ...(known && error.hint ? { hint: error.hint } : {}),
  })}\n`;
}

/**
 * The file's credentials now; while the agent is mid-rewrite, the last whole set read, as long as it is
 * still valid (STS credentials stay good until their own expiry, whatever the file holds now).
 */
class CredentialSource {
  private lastGood: NodeCredentials | undefined;
  /** Requests that arrive together share one read: fifty readers must not race the agent's writes fifty times. */
  private inFlight: Promise<NodeCredentials> | undefined;
  constructor(private readonly files: NodeFiles) {}

  current(): Promise<NodeCredentials> {
    this.inFlight ??= this.read().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async read(): Promise<NodeCredentials> {
    try {
      this.lastGood = await readNodeCredentials(this.files);
      return this.lastGood;
    } catch (error) {
      if (
        error instanceof NodeCredentialsError &&
        error.kind === "torn" &&
        this.lastGood &&
        stillValid(this.lastGood)
      ) {
        return this.lastGood;
      }
      throw error;
    }
  }
}

async function handle(
  options: SocketServerOptions,
  source: CredentialSource,
  peers: WeakMap<Socket, { uid: number; gid: number }>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const peer = peers.get(request.socket);
  const verdict = peer ? peerAllowed(options.allow, peer) : { allowed: false, who: "an unknown peer" };
  if (!verdict.allowed) {
    options.log(`refused ${verdict.who}: not among ${options.allow.described}`);
    return answer(
      response,
      403,
      `${JSON.stringify({ error: `${verdict.who} is not allowed the node's role credentials`, hint: "ask the server's administrator to allow your user or one of your groups (--allow-user, --allow-group)" })}\n`,
    );
  }
  if (request.method !== "GET" || request.url !== CREDENTIALS_PATH) {
    return answer(
      response,
      404,
      `${JSON.stringify({ error: `no such endpoint: ${request.method} ${request.url}` })}\n`,
    );
  }
  try {
    const credentials = await source.current();
    answer(response, 200, credentialProcessJson(credentials));
  } catch (error) {
    if (!(error instanceof NodeCredentialsError))
      options.log(`cannot serve ${verdict.who}: ${(error as Error).message}`);
    else options.log(`cannot serve ${verdict.who}: ${error.message}`);
    answer(response, 503, errorBody(error));
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** A socket file left by a server that is gone is removed; one that answers is someone else's server. */
async function clearStaleSocket(path: string): Promise<void> {
  const found = lstatOrUndefined(path);
  if (found === undefined) return;
  // Run as root, a mistyped --socket must never unlink a file that is not a socket.
  if (!found.isSocket()) {
    throw new TobiraError(`${path} exists and is not a socket`, {
      hint: "pass --socket a new path, or the socket a previous `tobira node serve` left",
    });
  }
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (live) {
    throw new TobiraError(`another server is listening on ${path}`, {
      hint: "stop it, or pass another --socket",
    });
  }
  unlinkSync(path);
}

/**
 * A folder anyone may write to without the sticky bit would let another user swap the socket for their own
 * and hand the clients credentials of their choosing: refused.
 */
function refuseOpenFolder(folder: string): void {
  const mode = statSync(folder).mode;
  if (mode & 0o002 && !(mode & 0o1000)) {
    throw new TobiraError(`the socket's folder ${folder} is writable by everyone`, {
      hint: "put the socket in a folder only root writes to, e.g. /run/tobira (systemd RuntimeDirectory=tobira)",
    });
  }
}

export async function startSocketServer(options: SocketServerOptions): Promise<Server> {
  const peers = new WeakMap<Socket, { uid: number; gid: number }>();
  const source = new CredentialSource(options.files);
  // A first whole set read now is there to fall back on should the first requests meet a rewrite.
  await source.current().catch(() => undefined);
  const server = createServer((request, response) => {
    handle(options, source, peers, request, response).catch(() =>
      answer(response, 500, errorBody(undefined)),
    );
  });
  server.on("connection", (socket: Socket) => {
    try {
      peers.set(socket, options.peerOf(socket));
    } catch (error) {
      options.log(`dropped a connection whose peer could not be read: ${(error as Error).message}`);
      socket.destroy();
    }
  });
  mkdirSync(dirname(options.socket), { recursive: true, mode: 0o755 });
  refuseOpenFolder(dirname(options.socket));
  await clearStaleSocket(options.socket);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.socket, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Anyone may connect; the peer check decides. The folder stays root's (0755), so no one can swap the socket.
  chmodSync(options.socket, 0o666);
  return server;
}
