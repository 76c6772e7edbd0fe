// The sending half of the reliable layer (§4.1, §4.3, §4.5): sequence numbers, the unacknowledged window,
// retransmission by RTO, pause/start publication, pacing, and back-pressure to the producer.

import type { Clock, TimerHandle } from "../clock.js";
import { encodeFrame } from "../codec/frame.js";
import { PACING, RELIABILITY } from "../constants.js";
import { ChannelClosedError, RetransmissionExhaustedError } from "../errors.js";
import { FramePacer } from "./frame-pacer.js";
import { RttEstimator } from "./rtt-estimator.js";

/** Which unacknowledged messages a retransmission tick may resend. */
export type RetransmitPolicy = "head" | "all-overdue";

export interface OutgoingStreamOptions {
  clock: Clock;
  /** `input_stream_data` (client) or `output_stream_data` (agent). */
  messageType: string;
  /** Flags of the sequence-0 message (the agent sets SYN); every later message carries 0. */
  firstMessageFlags?: number;
  /** Hands one frame to the socket; may throw if the socket is gone. */
  transmit: (frame: Uint8Array) => void;
  /** Most unacknowledged messages in flight; beyond it new messages wait (flow control instead of eviction). */
  window?: number;
  /** Messages accepted but not yet sent before `send` starts making the producer wait. */
  maxQueued?: number;
  /** Data-frame ceiling (new and resent frames). */
  framesPerSecond?: number;
  burstFrames?: number;
  retransmitTickMs?: number;
  retransmitPolicy?: RetransmitPolicy;
  maxResends?: number;
  /** Called once when a message was resent `maxResends` times without an ack. */
  onExhausted?: (error: RetransmissionExhaustedError) => void;
  /** Called when `transmit` throws; the message stays queued. */
  onTransmitError?: (error: unknown) => void;
}

interface QueuedMessage {
  payloadType: number;
  payload: Uint8Array;
}

interface BlockedMessage extends QueuedMessage {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface InFlightMessage {
  sequenceNumber: number;
  frame: Uint8Array;
  firstSent: number;
  lastSent: number;
  resends: number;
}

export interface OutgoingStats {
  nextSequenceNumber: number;
  inFlight: number;
  queued: number;
  blocked: number;
  paused: boolean;
  resends: number;
  rtoMs: number;
}

export class OutgoingStream {
  readonly #o: Required<Omit<OutgoingStreamOptions, "onExhausted" | "onTransmitError">> &
    Pick<OutgoingStreamOptions, "onExhausted" | "onTransmitError">;
  readonly #rtt = new RttEstimator();
  readonly #pacer: FramePacer;
  #nextSequence = 0;
  #queue: QueuedMessage[] = [];
  #blocked: BlockedMessage[] = [];
  readonly #inFlight = new Map<number, InFlightMessage>();
  #drainWaiters: (() => void)[] = [];
  /** Sequence numbers to resend before anything new (after a transport swap, §8). */
  #resendQueue: number[] = [];
  #paused = false;
  #closed = false;
  #exhausted = false;
  #totalResends = 0;
  #pumpTimer: TimerHandle | undefined;
  #tickTimer: TimerHandle | undefined;

  constructor(options: OutgoingStreamOptions) {
    this.#o = {
      firstMessageFlags: 0,
      window: RELIABILITY.outgoingWindow,
      maxQueued: 256,
      framesPerSecond: PACING.maxFramesPerSecond,
      burstFrames: PACING.burstFrames,
      retransmitTickMs: RELIABILITY.retransmitTickMs,
      retransmitPolicy: "head",
      maxResends: RELIABILITY.maxResends,
      ...options,
    };
    this.#pacer = new FramePacer({
      clock: options.clock,
      framesPerSecond: this.#o.framesPerSecond,
      burst: this.#o.burstFrames,
    });
  }

  get rtt(): RttEstimator {
    return this.#rtt;
  }

  get paused(): boolean {
    return this.#paused;
  }

  stats(): OutgoingStats {
    return {
      nextSequenceNumber: this.#nextSequence,
      inFlight: this.#inFlight.size,
      queued: this.#queue.length,
      blocked: this.#blocked.length,
      paused: this.#paused,
      resends: this.#totalResends,
      rtoMs: this.#rtt.rto,
    };
  }

  /**
   * Queues one message for sending. Resolves once the stream has accepted it (immediately while there is
   * room); a producer that awaits each call never makes the stream hold more than its bounds.
   */
  send(payloadType: number, payload: Uint8Array): Promise<void> {
    if (this.#closed)
      return Promise.reject(
        new ChannelClosedError(
          "The data channel is closed; the message was not sent.",
          "Open a new session.",
        ),
      );
    if (this.#blocked.length === 0 && this.#queue.length < this.#o.maxQueued) {
      this.#queue.push({ payloadType, payload });
      this.#pump();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.#blocked.push({ payloadType, payload, resolve, reject });
      this.#pump();
    });
  }

  /** An ack for `sequenceNumber` arrived: stop tracking it and fold its round trip into the RTO (§4.3). */
  acknowledge(sequenceNumber: number): boolean {
    const entry = this.#inFlight.get(sequenceNumber);
    if (entry === undefined) return false;
    this.#rtt.addSample(this.#o.clock.now() - entry.lastSent);
    this.#inFlight.delete(sequenceNumber);
    this.#pump();
    this.#checkDrained();
    return true;
  }

  /**
   * Resends every unacknowledged message now, oldest first and paced, ahead of queued ones: the peer may
   * have lost them with the old transport (§8).
   */
  resendAll(): void {
    if (this.#closed) return;
    this.#resendQueue = [...this.#inFlight.keys()].sort((x, y) => x - y);
    this.#pump();
  }

  /** pause_publication: nothing new goes out and nothing is resent until `resume` (§4.5). */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#pump();
    this.#ensureTick();
  }

  /** Resolves when every accepted message has been sent and acknowledged (or the stream closed). */
  drained(): Promise<void> {
    if (this.#isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pumpTimer !== undefined) this.#o.clock.clearTimeout(this.#pumpTimer);
    if (this.#tickTimer !== undefined) this.#o.clock.clearTimeout(this.#tickTimer);
    this.#pumpTimer = undefined;
    this.#tickTimer = undefined;
    const error = new ChannelClosedError(
      "The data channel closed before the message was sent.",
      "Open a new session.",
    );
    for (const b of this.#blocked) b.reject(error);
    this.#blocked = [];
    this.#queue = [];
    this.#inFlight.clear();
    for (const w of this.#drainWaiters) w();
    this.#drainWaiters = [];
  }

  #isDrained(): boolean {
    return this.#queue.length === 0 && this.#blocked.length === 0 && this.#inFlight.size === 0;
  }

  #checkDrained(): void {
    if (!this.#isDrained() || this.#drainWaiters.length === 0) return;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const w of waiters) w();
  }

  /** Moves waiting producers' messages into the queue while there is room. */
  #admit(): void {
    while (this.#blocked.length > 0 && this.#queue.length < this.#o.maxQueued) {
      const next = this.#blocked.shift()!;
      this.#queue.push({ payloadType: next.payloadType, payload: next.payload });
      next.resolve();
    }
  }

  /** Sends queued messages while the window, the pacer and publication allow. */
  #pump(): void {
    if (this.#closed) return;
    this.#admit();
    if (!this.#resendPending()) {
      this.#ensureTick();
      return;
    }
    while (!this.#paused && this.#queue.length > 0 && this.#inFlight.size < this.#o.window) {
      if (!this.#pacer.tryTake()) {
        this.#schedulePump(this.#pacer.delayUntilNext());
        break;
      }
      const message = this.#queue[0]!;
      const sequenceNumber = this.#nextSequence;
      const now = this.#o.clock.now();
      const frame = encodeFrame({
        messageType: this.#o.messageType,
        sequenceNumber,
        flags: sequenceNumber === 0 ? this.#o.firstMessageFlags : 0,
        payloadType: message.payloadType,
        payload: message.payload,
        createdDate: now,
      });
      try {
        this.#o.transmit(frame);
      } catch (error) {
        // Like the plugin: a failed write neither advances the sequence nor stores the frame (§4.3).
        this.#o.onTransmitError?.(error);
        return;
      }
      this.#queue.shift();
      this.#nextSequence++;
      this.#inFlight.set(sequenceNumber, {
        sequenceNumber,
        frame,
        firstSent: now,
        lastSent: now,
        resends: 0,
      });
      this.#admit();
    }
    this.#ensureTick();
  }

  /** Sends what `resendAll` asked for; false while some of it still waits (pacer, paused, socket). */
  #resendPending(): boolean {
    while (this.#resendQueue.length > 0) {
      if (this.#paused) return false;
      const entry = this.#inFlight.get(this.#resendQueue[0]!);
      if (entry === undefined) {
        this.#resendQueue.shift();
        continue;
      }
      if (!this.#pacer.tryTake()) {
        this.#schedulePump(this.#pacer.delayUntilNext());
        return false;
      }
      try {
        this.#o.transmit(entry.frame);
      } catch (error) {
        this.#o.onTransmitError?.(error);
        return false;
      }
      this.#resendQueue.shift();
      entry.lastSent = this.#o.clock.now();
      entry.resends++;
      this.#totalResends++;
    }
    return true;
  }

  #schedulePump(delayMs: number): void {
    if (this.#pumpTimer !== undefined) return;
    this.#pumpTimer = this.#o.clock.setTimeout(
      () => {
        this.#pumpTimer = undefined;
        this.#pump();
      },
      Math.max(1, delayMs),
    );
  }

  #ensureTick(): void {
    if (this.#closed || this.#tickTimer !== undefined || this.#inFlight.size === 0) return;
    this.#tickTimer = this.#o.clock.setTimeout(() => {
      this.#tickTimer = undefined;
      this.#retransmitOverdue();
      this.#ensureTick();
    }, this.#o.retransmitTickMs);
  }

  /** One scheduler tick (§4.3): resend the head (or every overdue message) whose RTO has passed. */
  #retransmitOverdue(): void {
    if (this.#closed || this.#paused) return;
    const now = this.#o.clock.now();
    for (const entry of this.#inFlight.values()) {
      if (now - entry.lastSent > this.#rtt.rto) {
        if (entry.resends >= this.#o.maxResends) {
          this.#exhaust(entry);
          return;
        }
        if (!this.#pacer.tryTake()) return;
        try {
          this.#o.transmit(entry.frame);
        } catch (error) {
          this.#o.onTransmitError?.(error);
          return;
        }
        // Persist the resend time (the plugin updates a copy and so resends every tick once overdue).
        entry.lastSent = now;
        entry.resends++;
        this.#totalResends++;
      }
      if (this.#o.retransmitPolicy === "head") return;
    }
  }

  #exhaust(entry: InFlightMessage): void {
    if (this.#exhausted) return;
    this.#exhausted = true;
    this.#o.onExhausted?.(
      new RetransmissionExhaustedError(
        `The peer did not acknowledge message ${entry.sequenceNumber} after ${entry.resends} resends.`,
        "The session is stuck (the far side stopped reading or the gateway dropped it); terminate it and start a new one.",
      ),
    );
  }
}
