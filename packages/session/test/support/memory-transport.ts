// In-memory transports for tests: a scripted end to inject frames into, and a linked pair whose wire can
// drop, duplicate and reorder frames, timed by a ManualClock.

import type { ManualClock } from "../../src/clock.js";
import { seededRandom } from "../../src/testing/seeded-random.js";
import type { DataChannelTransport, TransportCloseInfo, TransportData } from "../../src/transport.js";

/** A transport whose far side is the test: `inject` delivers a frame, `sent` records what the channel sent. */
export class ScriptedTransport implements DataChannelTransport {
  readonly sent: TransportData[] = [];
  closed: { code?: number; reason?: string } | undefined;
  #onMessage: ((data: TransportData) => void)[] = [];
  #onClose: ((info: TransportCloseInfo) => void)[] = [];

  send(data: TransportData): void {
    if (this.closed !== undefined) throw new Error("socket closed");
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    if (this.closed !== undefined) return;
    this.closed = { ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason }) };
  }
  onMessage(listener: (data: TransportData) => void): void {
    this.#onMessage.push(listener);
  }
  onClose(listener: (info: TransportCloseInfo) => void): void {
    this.#onClose.push(listener);
  }
  inject(data: TransportData): void {
    for (const l of this.#onMessage) l(data);
  }
  /** The far side hangs up. */
  hangUp(code = 1006): void {
    this.closed ??= { code };
    for (const l of this.#onClose) l({ code });
  }
  /** Binary frames sent so far. */
  get binary(): Uint8Array[] {
    return this.sent.filter((d): d is Uint8Array => typeof d !== "string");
  }
}

export interface WireFaults {
  /** Probability that a binary frame is lost. */
  drop?: number;
  /** Probability that a binary frame arrives twice. */
  duplicate?: number;
  /** Extra random delay (ms) per frame, which reorders frames. */
  jitterMs?: number;
  /** Decide per frame instead of (or on top of) the probabilities: return true to drop. */
  dropIf?: (data: TransportData, index: number) => boolean;
}

class LinkedEnd implements DataChannelTransport {
  readonly sent: TransportData[] = [];
  peer!: LinkedEnd;
  closed = false;
  #onMessage: ((data: TransportData) => void)[] = [];
  #onClose: ((info: TransportCloseInfo) => void)[] = [];
  readonly #deliverLater: (to: LinkedEnd, data: TransportData, index: number) => void;

  constructor(deliverLater: (to: LinkedEnd, data: TransportData, index: number) => void) {
    this.#deliverLater = deliverLater;
  }
  send(data: TransportData): void {
    if (this.closed) throw new Error("socket closed");
    const index = this.sent.length;
    this.sent.push(data);
    this.#deliverLater(this.peer, data, index);
  }
  close(code = 1000): void {
    if (this.closed) return;
    this.closed = true;
    this.emitClose(code);
    this.peer.closed = true;
    this.peer.emitClose(code);
  }
  onMessage(listener: (data: TransportData) => void): void {
    this.#onMessage.push(listener);
  }
  onClose(listener: (info: TransportCloseInfo) => void): void {
    this.#onClose.push(listener);
  }
  emitMessage(data: TransportData): void {
    if (this.closed) return;
    for (const l of this.#onMessage) l(data);
  }
  emitClose(code: number): void {
    for (const l of this.#onClose) l({ code });
  }
}

export interface TransportPair {
  a: DataChannelTransport & { sent: TransportData[] };
  b: DataChannelTransport & { sent: TransportData[] };
}

/** Two linked ends; frames take `latencyMs` (plus faults) on the manual clock. Text frames are never faulted. */
export function memoryTransportPair(
  clock: ManualClock,
  options: { latencyMs?: number; aToB?: WireFaults; bToA?: WireFaults; seed?: number } = {},
): TransportPair {
  const random = seededRandom(options.seed ?? 1);
  const latency = options.latencyMs ?? 5;
  let a!: LinkedEnd;
  const deliverLater = (to: LinkedEnd, data: TransportData, index: number): void => {
    const faults = (to === a ? options.bToA : options.aToB) ?? {};
    const binary = typeof data !== "string";
    if (binary && (faults.dropIf?.(data, index) === true || random() < (faults.drop ?? 0))) return;
    const copies = binary && random() < (faults.duplicate ?? 0) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = latency + (binary ? Math.floor(random() * (faults.jitterMs ?? 0)) : 0);
      clock.setTimeout(() => to.emitMessage(data), delay);
    }
  };
  a = new LinkedEnd(deliverLater);
  const b = new LinkedEnd(deliverLater);
  a.peer = b;
  b.peer = a;
  return { a, b };
}

/** Lets pending promise callbacks run (KMS fakes, handshake continuations). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Advances the manual clock in steps, letting promises settle between steps. */
export async function runFor(clock: ManualClock, ms: number, stepMs = 5): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(stepMs);
    await settle();
  }
}
