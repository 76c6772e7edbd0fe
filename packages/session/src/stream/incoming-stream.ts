// The receiving half of the reliable layer (§4.4): in-order delivery exactly once, an out-of-order buffer
// bounded in frames and bytes, and re-acks for duplicates (an improvement over the plugin, §4.7).

import type { ClientMessage } from "../codec/frame.js";
import { RELIABILITY } from "../constants.js";

/** What the consumer said about an in-order message: taken, or not yet (no ack, the sender will resend). */
export type DeliveryVerdict = "delivered" | "not-ready";

export interface IncomingStreamOptions {
  deliver: (message: ClientMessage) => DeliveryVerdict;
  acknowledge: (message: ClientMessage) => void;
  /** Messages acked before they are processed (the client does this for handshake payloads, §5.2). */
  ackBeforeDelivery?: (message: ClientMessage) => boolean;
  maxBufferedFrames?: number;
  maxBufferedBytes?: number;
  /** A message was dropped without an ack (buffer full, bad sequence number). */
  onDrop?: (reason: string, message: ClientMessage) => void;
}

export interface IncomingStats {
  expectedSequenceNumber: number;
  bufferedFrames: number;
  bufferedBytes: number;
  duplicates: number;
}

export const DEFAULT_REORDER_BUFFER_BYTES = 16 * 1024 * 1024;

export class IncomingStream {
  readonly #o: IncomingStreamOptions;
  readonly #maxFrames: number;
  readonly #maxBytes: number;
  #expected = 0;
  readonly #buffer = new Map<number, ClientMessage>();
  #bufferedBytes = 0;
  #duplicates = 0;
  #inbox: ClientMessage[] = [];
  #working = false;

  constructor(options: IncomingStreamOptions) {
    this.#o = options;
    this.#maxFrames = options.maxBufferedFrames ?? RELIABILITY.reorderBufferFrames;
    this.#maxBytes = options.maxBufferedBytes ?? DEFAULT_REORDER_BUFFER_BYTES;
  }

  /** Where delivery stands (expectedSequenceNumber: the next in-order sequence number), for tests and logs. */
  stats(): IncomingStats {
    return {
      expectedSequenceNumber: this.#expected,
      bufferedFrames: this.#buffer.size,
      bufferedBytes: this.#bufferedBytes,
      duplicates: this.#duplicates,
    };
  }

  /** Takes one stream message. Re-entrant calls (a consumer that causes more input) are queued, not nested. */
  receive(message: ClientMessage): void {
    this.#inbox.push(message);
    if (this.#working) return;
    this.#working = true;
    try {
      for (let next = this.#inbox.shift(); next !== undefined; next = this.#inbox.shift())
        this.#receiveOne(next);
    } finally {
      this.#working = false;
    }
  }

  /** The consumer is ready again: deliver what waits in the buffer. */
  retryBuffered(): void {
    if (this.#working) return;
    this.#working = true;
    try {
      this.#drain();
    } finally {
      this.#working = false;
    }
  }

  #receiveOne(message: ClientMessage): void {
    const seq = message.sequenceNumber;
    if (seq < 0) {
      this.#o.onDrop?.(`negative sequence number ${seq}`, message);
      return;
    }
    if (seq < this.#expected) {
      // Already delivered: our ack was probably lost. Ack again so the sender stops resending (§4.7).
      this.#duplicates++;
      this.#o.acknowledge(message);
      return;
    }
    if (seq > this.#expected) {
      if (this.#buffer.has(seq)) {
        this.#duplicates++;
        this.#o.acknowledge(message);
        return;
      }
      if (
        this.#buffer.size >= this.#maxFrames ||
        this.#bufferedBytes + message.payload.length > this.#maxBytes
      ) {
        this.#o.onDrop?.(`out-of-order buffer full; message ${seq} left for the sender to resend`, message);
        return;
      }
      this.#buffer.set(seq, message);
      this.#bufferedBytes += message.payload.length;
      this.#o.acknowledge(message);
      return;
    }
    this.#forget(seq);
    if (this.#o.ackBeforeDelivery?.(message) === true) {
      this.#o.acknowledge(message);
      this.#o.deliver(message);
    } else {
      if (this.#o.deliver(message) === "not-ready") return;
      this.#o.acknowledge(message);
    }
    this.#expected++;
    this.#drain();
  }

  /** Delivers buffered messages that are now in order (they were acked when buffered). */
  #drain(): void {
    for (let message = this.#buffer.get(this.#expected); message !== undefined; ) {
      if (this.#o.deliver(message) === "not-ready") return;
      this.#forget(this.#expected);
      this.#expected++;
      message = this.#buffer.get(this.#expected);
    }
  }

  #forget(seq: number): void {
    const held = this.#buffer.get(seq);
    if (held === undefined) return;
    this.#buffer.delete(seq);
    this.#bufferedBytes -= held.payload.length;
  }
}
