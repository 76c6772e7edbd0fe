// A fault-injecting stand-in for the network between a Session Manager client and the sandbox's endpoint, on
// real loopback sockets. HTTP API calls pass through untouched (StreamUrl in the answers is rewritten to point
// at the relay); each data-channel websocket is relayed to the gateway frame by frame, where data frames and
// acknowledgements are dropped, duplicated, held back (reordered) and delayed by a seeded RNG
// (frame-faults.ts), and `cut()` kills the sockets on command. The tests' and the bench's lossy network.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { seededRandom } from "@tobira/session/testing";
import WebSocket, { WebSocketServer } from "ws";
import { messageTypeOf } from "../gateway/frame-peek.js";
import {
  FAULTED_TYPES,
  type FaultCounts,
  faultDelays,
  type RelayFaultPlan,
  type RelayFaults,
} from "./frame-faults.js";

export interface RelayStats extends FaultCounts {
  cuts: number;
  sockets: number;
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

  /** The endpoint to give the client instead of the sandbox's. */
  get url(): string {
    return this.#url;
  }

  stats(): RelayStats {
    return { ...this.#stats };
  }

  /** Kills every data-channel socket now, both the client's and the one to the gateway (a network drop). */
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

  #proxyHttp(req: IncomingMessage, res: ServerResponse): void {
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
      this.#wss.handleUpgrade(req, socket, head, (client) => this.#pair(client, upstream));
    });
  }

  #pair(client: WebSocket, upstream: WebSocket): void {
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
  }

  #carry(pair: Pair, to: WebSocket, data: Buffer, isBinary: boolean, faults: RelayFaults): void {
    const send = () => {
      if (this.#pairs.has(pair) && to.readyState === WebSocket.OPEN) to.send(data, { binary: isBinary });
    };
    if (!isBinary || !FAULTED_TYPES.has(messageTypeOf(data))) {
      send();
      return;
    }
    for (const delay of faultDelays(faults, this.#random, this.#stats)) {
      if (delay === 0) {
        send();
        continue;
      }
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        send();
      }, delay);
      this.#timers.add(timer);
    }
  }
}
