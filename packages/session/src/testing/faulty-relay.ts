// A message gateway stand-in for tests: relays WebSocket messages between a client end and an agent end
// through a wire that drops, duplicates, reorders (jitter) and delays binary frames from a seeded RNG, and
// cuts the client's connection on command. The agent's end survives client reconnects, as the agent's
// socket to MGS does (§8): `connectClient` attaches a new client end to the same session.

import type { Clock, TimerHandle } from "../clock.js";
import type { DataChannelTransport, TransportCloseInfo, TransportData } from "../transport.js";
import { seededRandom } from "./seeded-random.js";

/** Faults applied to binary frames in one direction; text frames (OpenDataChannel) are never faulted. */
export interface FrameFaults {
  /** Probability a frame is lost. */
  drop?: number;
  /** Probability a frame arrives twice. */
  duplicate?: number;
  /** Extra random delay per frame, 0..jitterMs (frames overtake each other). */
  jitterMs?: number;
  /** Drop by decision: return true to lose this frame (index counts frames in this direction). */
  dropIf?: (data: Uint8Array, index: number) => boolean;
}

export interface FaultyRelayOptions {
  clock: Clock;
  seed?: number;
  /** Base one-way delay (5 ms). */
  latencyMs?: number;
  toAgent?: FrameFaults;
  toClient?: FrameFaults;
}

export interface RelayStats {
  toAgent: DirectionStats;
  toClient: DirectionStats;
  cuts: number;
}

export interface DirectionStats {
  frames: number;
  dropped: number;
  duplicated: number;
  /** Lost because the client connection they travelled on was cut. */
  lostInCut: number;
}

type Listener<T> = (value: T) => void;

/** One side of a relay connection, as a DataChannelTransport. */
class RelayEnd implements DataChannelTransport {
  readonly sent: TransportData[] = [];
  closed = false;
  readonly #messageListeners: Listener<TransportData>[] = [];
  readonly #closeListeners: Listener<TransportCloseInfo>[] = [];
  readonly #forward: (data: TransportData) => void;
  readonly #onLocalClose: (code: number) => void;
  pings = 0;

  constructor(forward: (data: TransportData) => void, onLocalClose: (code: number) => void) {
    this.#forward = forward;
    this.#onLocalClose = onLocalClose;
  }
  send(data: TransportData): void {
    if (this.closed) throw new Error("socket closed");
    this.sent.push(data);
    this.#forward(data);
  }
  close(code = 1000): void {
    if (this.closed) return;
    this.hangUp(code);
    this.#onLocalClose(code);
  }
  ping(): void {
    if (this.closed) throw new Error("socket closed");
    this.pings++;
  }
  onMessage(listener: Listener<TransportData>): void {
    this.#messageListeners.push(listener);
  }
  onClose(listener: Listener<TransportCloseInfo>): void {
    this.#closeListeners.push(listener);
  }
  deliver(data: TransportData): void {
    if (this.closed) return;
    for (const l of this.#messageListeners) l(data);
  }
  hangUp(code: number): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.#closeListeners) l({ code });
  }
}

export class FaultyRelay {
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #latency: number;
  faults: { toAgent: FrameFaults; toClient: FrameFaults };
  /** Text frames (OpenDataChannel) each client connection opened with, in order. */
  readonly clientOpens: string[] = [];
  readonly agentOpens: string[] = [];
  readonly agentEnd: RelayEnd;
  #client: RelayEnd | undefined;
  #connection = 0;
  #timers = new Set<TimerHandle>();
  readonly #stats: RelayStats = {
    toAgent: { frames: 0, dropped: 0, duplicated: 0, lostInCut: 0 },
    toClient: { frames: 0, dropped: 0, duplicated: 0, lostInCut: 0 },
    cuts: 0,
  };

  constructor(options: FaultyRelayOptions) {
    this.#clock = options.clock;
    this.#random = seededRandom(options.seed ?? 1);
    this.#latency = options.latencyMs ?? 5;
    this.faults = { toAgent: options.toAgent ?? {}, toClient: options.toClient ?? {} };
    this.agentEnd = new RelayEnd(
      (data) => {
        if (typeof data === "string") this.agentOpens.push(data);
        else this.#carry(data, "toClient");
      },
      (code) => this.#client?.hangUp(code),
    );
  }

  /** The current client end, if connected. */
  get clientEnd(): RelayEnd | undefined {
    return this.#client;
  }

  stats(): RelayStats {
    return structuredClone(this.#stats);
  }

  /** A new client connection to the same session (the previous one, if any, is cut first). */
  connectClient(): RelayEnd {
    if (this.#client !== undefined && !this.#client.closed) this.cutClient();
    const connection = ++this.#connection;
    const end = new RelayEnd(
      (data) => {
        if (typeof data === "string") this.clientOpens.push(data);
        else if (connection === this.#connection) this.#carry(data, "toAgent");
      },
      () => {
        // The client hung up by itself: the agent's socket stays (a resume may follow).
        if (connection === this.#connection) this.#connection++;
      },
    );
    this.#client = end;
    return end;
  }

  /** Cuts the client's connection now: its end sees close code 1006, frames in flight on it are lost. */
  cutClient(code = 1006): void {
    const end = this.#client;
    if (end === undefined || end.closed) return;
    this.#stats.cuts++;
    this.#connection++;
    end.hangUp(code);
  }

  /** Cancels every pending delivery (end of a test). */
  dispose(): void {
    for (const t of this.#timers) this.#clock.clearTimeout(t);
    this.#timers.clear();
  }

  #carry(data: Uint8Array, direction: "toAgent" | "toClient"): void {
    const faults = this.faults[direction];
    const stats = this.#stats[direction];
    const index = stats.frames++;
    if (faults.dropIf?.(data, index) === true || this.#random() < (faults.drop ?? 0)) {
      stats.dropped++;
      return;
    }
    const copies = this.#random() < (faults.duplicate ?? 0) ? 2 : 1;
    if (copies === 2) stats.duplicated++;
    const connection = this.#connection;
    for (let i = 0; i < copies; i++) {
      const delay = this.#latency + Math.floor(this.#random() * (faults.jitterMs ?? 0));
      const timer = this.#clock.setTimeout(() => {
        this.#timers.delete(timer);
        // A frame travelling on a cut client connection never arrives.
        if (connection !== this.#connection) {
          stats.lostInCut++;
          return;
        }
        if (direction === "toAgent") this.agentEnd.deliver(data);
        else this.#client?.deliver(data);
      }, delay);
      this.#timers.add(timer);
    }
  }
}
