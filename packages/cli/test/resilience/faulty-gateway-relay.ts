// A fault-injecting stand-in for the network between the real CLI process and the sandbox's endpoint, on real
// loopback sockets. HTTP API calls pass through untouched (StreamUrl in the answers is rewritten to point at
// the relay); each data-channel websocket is relayed to the gateway frame by frame, where data frames and
// acknowledgements are dropped, duplicated, delayed and reordered by a seeded RNG (the MGS-like faults of
// @tobira/session/testing's FaultyRelay, here between processes), and `cut()` kills the sockets on command.
import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { seededRandom } from "@tobira/session/testing";
import WebSocket, { WebSocketServer } from "ws";

export interface RelayFaults {
  drop?: number;
  duplicate?: number;
  /** Extra delay per frame, 0..jitterMs at random: frames overtake each other. */
  jitterMs?: number;
}

/** Faults per direction: toward the gateway (what the CLI sends) and toward the CLI. */
export interface RelayFaultPlan {
  toGateway?: RelayFaults;
  toClient?: RelayFaults;
}

export interface RelayStats {
  frames: number;
  dropped: number;
  duplicated: number;
  delayed: number;
  cuts: number;
  sockets: number;
}

const FAULTED_TYPES = new Set(["input_stream_data", "output_stream_data", "acknowledge"]);

function messageTypeOf(frame: Buffer): string {
  if (frame.length < 36) return "";
  return frame.toString("latin1", 4, 36).replace(/\0+$/g, "").trim();
}

interface Pair {
  client: WebSocket;
  upstream: WebSocket;
}

export class FaultyGatewayRelay {
  faults: RelayFaultPlan;
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  readonly #target: URL;
  readonly #random: () => number;
  readonly #pairs = new Set<Pair>();
  readonly #stats: RelayStats = { frames: 0, dropped: 0, duplicated: 0, delayed: 0, cuts: 0, sockets: 0 };
  readonly #timers = new Set<NodeJS.Timeout>();
  #url = "";

  private constructor(target: string, faults: RelayFaultPlan, seed: number) {
    this.#target = new URL(target);
    this.faults = faults;
    this.#random = seededRandom(seed);
    this.#server = createServer((req, res) => this.#proxyHttp(req, res));
    this.#server.on("upgrade", (req, socket, head) => this.#proxyUpgrade(req, socket as Socket, head));
  }

  /** Relays to `target` (the sandbox endpoint, http://127.0.0.1:PORT). */
  static async start(target: string, faults: RelayFaultPlan = {}, seed = 7): Promise<FaultyGatewayRelay> {
    const relay = new FaultyGatewayRelay(target, faults, seed);
    await new Promise<void>((resolve) => relay.#server.listen(0, "127.0.0.1", resolve));
    relay.#url = `http://127.0.0.1:${(relay.#server.address() as AddressInfo).port}`;
    return relay;
  }

  /** The endpoint to give the CLI instead of the sandbox's. */
  get url(): string {
    return this.#url;
  }

  stats(): RelayStats {
    return { ...this.#stats };
  }

  /** Kills every data-channel socket now, both the CLI's and the one to the gateway (a network drop). */
  cut(): number {
    let n = 0;
    for (const pair of this.#pairs) {
      pair.client.terminate();
      pair.upstream.terminate();
      n++;
    }
    this.#pairs.clear();
    this.#stats.cuts++;
    return n;
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.cut();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #proxyHttp(req: IncomingMessage, res: import("node:http").ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const upstream = request(
        {
          host: this.#target.hostname,
          port: this.#target.port,
          method: req.method,
          path: req.url,
          // Host stays as the client signed it.
          headers: req.headers,
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => body.push(chunk));
          answer.on("end", () => {
            const text = Buffer.concat(body)
              .toString("latin1")
              .replaceAll(this.#target.origin.replace(/^http/, "ws"), this.#url.replace(/^http/, "ws"));
            const bytes = Buffer.from(text, "latin1");
            const headers = { ...answer.headers, "content-length": String(bytes.length) };
            delete headers["transfer-encoding"];
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(bytes);
          });
        },
      );
      upstream.on("error", (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      upstream.end(Buffer.concat(chunks));
    });
  }

  #proxyUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const headers: Record<string, string> = {};
    for (const name of ["host", "authorization", "x-amz-date", "x-amz-security-token"]) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const upstream = new WebSocket(`${this.#target.origin.replace(/^http/, "ws")}${req.url ?? "/"}`, {
      headers,
      perMessageDeflate: false,
    });
    upstream.once("unexpected-response", (_r, answer) => {
      socket.end(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\nConnection: close\r\n\r\n`);
      upstream.terminate();
    });
    upstream.once("error", () => socket.destroy());
    upstream.once("open", () => {
      this.#wss.handleUpgrade(req, socket, head, (client) => {
        const pair = { client, upstream };
        this.#pairs.add(pair);
        this.#stats.sockets++;
        const end = () => {
          this.#pairs.delete(pair);
          client.terminate();
          upstream.terminate();
        };
        client.on("close", end);
        upstream.on("close", end);
        client.on("error", end);
        upstream.on("error", end);
        client.on("message", (data, isBinary) =>
          this.#carry(pair, upstream, data as Buffer, isBinary, this.faults.toGateway ?? {}),
        );
        upstream.on("message", (data, isBinary) =>
          this.#carry(pair, client, data as Buffer, isBinary, this.faults.toClient ?? {}),
        );
      });
    });
  }

  #carry(pair: Pair, to: WebSocket, data: Buffer, isBinary: boolean, faults: RelayFaults): void {
    const send = () => {
      if (this.#pairs.has(pair) && to.readyState === WebSocket.OPEN) to.send(data, { binary: isBinary });
    };
    if (!isBinary || !FAULTED_TYPES.has(messageTypeOf(data))) {
      send();
      return;
    }
    this.#stats.frames++;
    const { drop = 0, duplicate = 0, jitterMs = 0 } = faults;
    if (this.#random() < drop) {
      this.#stats.dropped++;
      return;
    }
    const copies = this.#random() < duplicate ? 2 : 1;
    if (copies === 2) this.#stats.duplicated++;
    for (let i = 0; i < copies; i++) {
      const delay = jitterMs > 0 ? Math.floor(this.#random() * jitterMs) : 0;
      if (delay === 0) {
        send();
        continue;
      }
      this.#stats.delayed++;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        send();
      }, delay);
      this.#timers.add(timer);
    }
  }
}
