// The sending half of the reliable layer (§4.1, §4.3, §4.5): sequence numbers, the unacknowledged window,
// retransmission on evidence of loss and by timeout, pause/start publication, pacing, and back-pressure to
// the producer. Resends go out ahead of new messages, on the same pacer (the gateway counts them alike).

import type { Clock, TimerHandle } from "../clock.js";
import { encodeFrame } from "../codec/frame.js";
import { PACING, RELIABILITY } from "../constants.js";
import { ChannelClosedError, RetransmissionExhaustedError } from "../errors.js";
import { type AdaptivePacingOptions, AdaptiveRate } from "./adaptive-rate.js";
import { FramePacer } from "./frame-pacer.js";
import {
  InFlightLedger,
  type InFlightMessage,
  type RtoBounds,
  timeoutBase,
  timeoutOf,
} from "./in-flight-ledger.js";
import { RttEstimator } from "./rtt-estimator.js";

/** How fast a floor raised by needless timeouts fades: half of it is left after this long. */
const RTO_FLOOR_HALF_LIFE_MS = 5000;
/** Timed-out messages remembered for the re-ack of a duplicate. */
const TIMED_OUT_MEMORY = 4096;

/** Which unacknowledged messages a retransmission timeout resends: the oldest, or every overdue one. */
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
  /** Data-frame ceiling (new and resent frames); the starting rate is `adaptive`'s when that is given. */
  framesPerSecond?: number;
  burstFrames?: number;
  /** Find the rate instead (adaptive-rate.ts): rise while acks keep up, back off on the service's signals. */
  adaptive?: AdaptivePacingOptions | undefined;
  retransmitPolicy?: RetransmitPolicy;
  /** Acks of later messages that declare an unacked one lost (RELIABILITY.lossEvidenceAcks). */
  lossEvidenceAcks?: number;
  maxResends?: number;
  /** How long a message may stay unacked, resent, before the stream gives up (≈5 min like the plugin). */
  giveUpAfterMs?: number;
  /** Called once when a message was resent `maxResends` times (or for `giveUpAfterMs`) without an ack. */
  onExhausted?: (error: RetransmissionExhaustedError) => void;
  /** Called when `transmit` throws; the message stays queued. */
  onTransmitError?: (error: unknown) => void;
}

interface QueuedMessage {
  payloadType: number;
  payload: Uint8Array;
  /** Part of a byte stream whose frame boundaries mean nothing (§7.4): later bytes may join it. */
  coalescible: boolean;
}

interface BlockedMessage extends QueuedMessage {
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface OutgoingStats {
  nextSequenceNumber: number;
  inFlight: number;
  queued: number;
  blocked: number;
  paused: boolean;
  /** Every resend, whatever its cause. */
  resends: number;
  /** Resends decided by acks of later messages (gaps), not by the timeout. */
  resendsOnEvidence: number;
  /** Retransmission timeouts that fired on a message. */
  timeouts: number;
  /**
   * Timeouts shown to be needless: an ack of a message sent once came after the probe (the path was only
   * slow), or the peer acked a timed-out message twice (it had the first copy: the re-ack of a duplicate).
   */
  spuriousTimeouts: number;
  /** The floor those raised under the RTO, ms, decaying (0 when none). */
  rtoFloorMs: number;
  rtoMs: number;
  /** The pacing rate now. */
  framesPerSecond: number;
  /** Times the adaptive rate fell on a signal (pause_publication, ack latency). */
  backOffs: number;
}

export class OutgoingStream {
  readonly #o: Required<Omit<OutgoingStreamOptions, "onExhausted" | "onTransmitError" | "adaptive">> &
    Pick<OutgoingStreamOptions, "onExhausted" | "onTransmitError">;
  readonly #adaptive: AdaptiveRate | undefined;
  /** No data frame leaves before this time (a pause_publication the client takes as a signal). */
  #heldUntil = Number.NEGATIVE_INFINITY;
  readonly #rtt = new RttEstimator();
  readonly #pacer: FramePacer;
  #nextSequence = 0;
  #queue: QueuedMessage[] = [];
  #blocked: BlockedMessage[] = [];
  readonly #ledger = new InFlightLedger();
  #drainWaiters: (() => void)[] = [];
  /** Sequence numbers to resend before anything new (lost, timed out, or after a transport swap, §8). */
  #resendQueue: number[] = [];
  readonly #resendQueued = new Set<number>();
  #paused = false;
  #closed = false;
  #exhausted = false;
  #totalResends = 0;
  #resendsOnEvidence = 0;
  #timeouts = 0;
  #spuriousTimeouts = 0;
  /** When the last ack arrived: timeouts count from it (RtoBounds.lastAckAt). */
  #lastAckAt = Number.NEGATIVE_INFINITY;
  /**
   * The message a timeout resent alone, as a probe (all-overdue policy), until an ack settles what the
   * timeout meant: an ack of a message sent once says the path was slow, not lossy, and nothing more is
   * resent; a second timeout with no such ack says the rest is lost too, and all that is overdue goes out.
   * A pause of the peer or of this process longer than the RTO so costs one frame, not the window (F-RTO's
   * idea, RFC 5682, on per-message acks).
   */
  #probe: number | undefined;
  /** Messages resent by a timeout and then acked: a second ack of one says the resend was needless. */
  readonly #timedOutAcked = new Set<number>();
  /** A floor under the RTO raised by needless timeouts, and when (it halves every RTO_FLOOR_HALF_LIFE_MS). */
  #rtoFloor = 0;
  #rtoFloorSince = 0;
  #pumpTimer: TimerHandle | undefined;
  #timeoutTimer: TimerHandle | undefined;
  /** The RTO when the timeout timer was set. */
  #timerRto = 0;

  constructor(options: OutgoingStreamOptions) {
    this.#o = {
      firstMessageFlags: 0,
      window: RELIABILITY.outgoingWindow,
      maxQueued: 256,
      framesPerSecond: PACING.maxFramesPerSecond,
      burstFrames: PACING.burstFrames,
      retransmitPolicy: "head",
      lossEvidenceAcks: RELIABILITY.lossEvidenceAcks,
      maxResends: RELIABILITY.maxResends,
      giveUpAfterMs: RELIABILITY.giveUpAfterMs,
      ...options,
    };
    this.#adaptive = options.adaptive === undefined ? undefined : new AdaptiveRate(options.adaptive);
    this.#pacer = new FramePacer({
      clock: options.clock,
      framesPerSecond: this.#adaptive?.framesPerSecond ?? this.#o.framesPerSecond,
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
      inFlight: this.#ledger.size,
      queued: this.#queue.length,
      blocked: this.#blocked.length,
      paused: this.#paused,
      resends: this.#totalResends,
      resendsOnEvidence: this.#resendsOnEvidence,
      timeouts: this.#timeouts,
      spuriousTimeouts: this.#spuriousTimeouts,
      rtoFloorMs: this.#currentFloor(this.#o.clock.now()),
      rtoMs: this.#rtt.rto,
      framesPerSecond: this.#pacer.framesPerSecond,
      backOffs: this.#adaptive?.backOffs ?? 0,
    };
  }

  /**
   * Queues one message for sending. Resolves once the stream has accepted it (immediately while there is
   * room); a producer that awaits each call never makes the stream hold more than its bounds.
   */
  send(payloadType: number, payload: Uint8Array, coalescible = false): Promise<void> {
    if (this.#closed)
      return Promise.reject(
        new ChannelClosedError(
          "The data channel is closed; the message was not sent.",
          "Open a new session.",
        ),
      );
    if (this.#blocked.length === 0 && this.#queue.length < this.#o.maxQueued) {
      this.#queue.push({ payloadType, payload, coalescible });
      this.#pump();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.#blocked.push({ payloadType, payload, coalescible, resolve, reject });
      this.#pump();
    });
  }

  /**
   * Tops up the last unsent message with the head of `bytes`, when both are of one byte stream (`coalescible`
   * messages of `payloadType`) and it is shorter than `maxBytes`: every frame leaves full, so none of the
   * frame rate is spent on a short one (a 64 KiB local read is 64 frames, not 64 and a scrap). Returns how
   * many bytes it took.
   */
  topUp(payloadType: number, bytes: Uint8Array, maxBytes: number): number {
    const tail = this.#queue[this.#queue.length - 1];
    if (this.#closed || this.#blocked.length > 0 || tail === undefined) return 0;
    if (!tail.coalescible || tail.payloadType !== payloadType || tail.payload.length >= maxBytes) return 0;
    const take = Math.min(maxBytes - tail.payload.length, bytes.length);
    tail.payload = Buffer.concat([tail.payload, bytes.subarray(0, take)]);
    return take;
  }

  /**
   * An ack for `sequenceNumber` arrived: stop tracking it, fold its round trip into the RTO (§4.3), and resend
   * at once what it shows to be lost (in-flight-ledger.ts).
   */
  acknowledge(sequenceNumber: number): boolean {
    const now = this.#o.clock.now();
    const outcome = this.#ledger.acknowledge(sequenceNumber, now, this.#o.lossEvidenceAcks);
    if (outcome === undefined) {
      if (this.#timedOutAcked.delete(sequenceNumber)) this.#needlessTimeout(now);
      return false;
    }
    if (outcome.timedOut) this.#rememberTimedOut(sequenceNumber);
    this.#lastAckAt = now;
    if (outcome.original && this.#probe !== undefined) {
      this.#probe = undefined;
      this.#spuriousTimeouts++;
    } else if (sequenceNumber === this.#probe) {
      // The probe's own ack: the others' timeout now counts from it, sooner than the probe's doubled one.
      this.#stopTimer();
    }
    if (outcome.rttSampleMs !== undefined) {
      this.#rtt.addSample(outcome.rttSampleMs);
      this.#adapt(outcome.rttSampleMs, now);
    }
    for (const entry of outcome.lost) {
      if (this.#queueResend(entry.sequenceNumber)) this.#resendsOnEvidence++;
    }
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
    this.#probe = undefined;
    for (const sequenceNumber of this.#ledger.sequenceNumbers()) this.#queueResend(sequenceNumber);
    this.#pump();
  }

  /**
   * The service signalled too many frames (pause_publication to the client): the adaptive rate backs off,
   * and no data frame leaves for `holdMs` or until `releaseHold` (start_publication). False when the rate
   * did not fall (the same episode, or a fixed rate).
   */
  signalCongestion(holdMs: number): boolean {
    const now = this.#o.clock.now();
    this.#heldUntil = Math.max(this.#heldUntil, now + holdMs);
    this.#stopTimer();
    const fell = this.#adaptive?.backOff(now) ?? false;
    if (fell) this.#pacer.setRate(this.#adaptive!.framesPerSecond);
    this.#schedulePump(holdMs);
    return fell;
  }

  /** start_publication: the hold, if any, ends now. */
  releaseHold(): void {
    if (this.#heldUntil === Number.NEGATIVE_INFINITY) return;
    this.#endHold();
    // The pump was put off to the hold's end; it runs now, at the pacer's pace.
    if (this.#pumpTimer !== undefined) this.#o.clock.clearTimeout(this.#pumpTimer);
    this.#pumpTimer = undefined;
    this.#pump();
  }

  /** A burst saved up during the hold would land at once on the sender the service just paused: none. */
  #endHold(): void {
    this.#heldUntil = Number.NEGATIVE_INFINITY;
    this.#pacer.drain();
  }

  /** pause_publication: nothing new goes out and nothing is resent until `resume` (§4.5). */
  pause(): void {
    this.#paused = true;
    this.#stopTimer();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#pump();
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
    this.#pumpTimer = undefined;
    this.#stopTimer();
    const error = new ChannelClosedError(
      "The data channel closed before the message was sent.",
      "Open a new session.",
    );
    for (const b of this.#blocked) b.reject(error);
    this.#blocked = [];
    this.#queue = [];
    this.#ledger.clear();
    this.#resendQueue = [];
    this.#resendQueued.clear();
    for (const w of this.#drainWaiters) w();
    this.#drainWaiters = [];
  }

  #isDrained(): boolean {
    return this.#queue.length === 0 && this.#blocked.length === 0 && this.#ledger.size === 0;
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
      this.#queue.push({
        payloadType: next.payloadType,
        payload: next.payload,
        coalescible: next.coalescible,
      });
      next.resolve();
    }
  }

  /** A round trip for the adaptive rate; the pacer follows it. */
  #adapt(sampleMs: number, now: number): void {
    if (this.#adaptive === undefined) return;
    const backlogged = this.#queue.length > 0 || this.#blocked.length > 0;
    this.#adaptive.onAck(sampleMs, now, backlogged);
    this.#pacer.setRate(this.#adaptive.framesPerSecond);
  }

  /** Milliseconds the hold has left (0 when none). */
  #holdLeft(): number {
    if (this.#heldUntil === Number.NEGATIVE_INFINITY) return 0;
    const left = this.#heldUntil - this.#o.clock.now();
    if (left > 0) return left;
    this.#endHold();
    return 0;
  }

  /** Resends first, then queued messages while the window, the pacer and publication allow. */
  #pump(): void {
    if (this.#closed) return;
    this.#admit();
    const held = this.#holdLeft();
    if (held > 0) {
      this.#schedulePump(held);
      return;
    }
    if (!this.#sendResends()) {
      this.#ensureTimer();
      return;
    }
    while (!this.#paused && this.#queue.length > 0 && this.#ledger.size < this.#o.window) {
      if (!this.#pacer.tryTake()) {
        this.#schedulePump(this.#pacer.delayUntilNext());
        break;
      }
      if (!this.#sendNew(this.#queue[0]!)) return;
      this.#queue.shift();
      this.#admit();
    }
    this.#ensureTimer();
  }

  /** One new message onto the wire; false when the socket refused it. */
  #sendNew(message: QueuedMessage): boolean {
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
      return false;
    }
    this.#nextSequence++;
    this.#ledger.add(sequenceNumber, frame, now);
    return true;
  }

  /** Queues one resend (once, however often it is asked for); false when it was queued already. */
  #queueResend(sequenceNumber: number): boolean {
    if (this.#resendQueued.has(sequenceNumber)) return false;
    this.#resendQueued.add(sequenceNumber);
    this.#resendQueue.push(sequenceNumber);
    return true;
  }

  /** Sends the queued resends; false while some of them still wait (pacer, paused, socket). */
  #sendResends(): boolean {
    while (this.#resendQueue.length > 0) {
      if (this.#paused) return false;
      const sequenceNumber = this.#resendQueue[0]!;
      const entry = this.#ledger.get(sequenceNumber);
      if (entry !== undefined) {
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
        // Persist the resend time (the plugin updates a copy and so resends every tick once overdue).
        this.#ledger.markResent(entry, this.#o.clock.now());
        this.#totalResends++;
      }
      this.#resendQueue.shift();
      this.#resendQueued.delete(sequenceNumber);
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
      Math.max(1, Math.ceil(delayMs)),
    );
  }

  /**
   * One timer, at the earliest retransmission timeout of what is in flight and not already queued. A new
   * message never times out before the ones already in flight, so the timer is only set again when none is
   * pending or the RTO fell well below the one it was set with (early round trips shrink it from 200 ms).
   */
  #ensureTimer(): void {
    if (this.#closed || this.#paused || this.#holdLeft() > 0) return;
    if (this.#timeoutTimer !== undefined) {
      if (this.#effectiveRto() >= this.#timerRto * 0.75) return;
      this.#stopTimer();
    }
    const due = InFlightLedger.nextDeadline(this.#timeoutCandidates(), this.#rtoBounds());
    if (due === undefined) return;
    this.#timerRto = this.#effectiveRto();
    this.#timeoutTimer = this.#o.clock.setTimeout(
      () => {
        this.#timeoutTimer = undefined;
        this.#onTimeout();
        this.#ensureTimer();
      },
      // Whole milliseconds: the RTO is fractional, the clock (and CreatedDate, §2.1) is not.
      Math.max(1, Math.ceil(due - this.#o.clock.now())),
    );
  }

  #timeoutCandidates(): InFlightMessage[] {
    // While a probe is out, only its own (doubled) timeout counts: the others wait for what its ack says.
    const probe = this.#probe === undefined ? undefined : this.#ledger.get(this.#probe);
    if (probe !== undefined) return this.#resendQueued.has(probe.sequenceNumber) ? [] : [probe];
    return this.#ledger.timeoutCandidates(this.#resendQueued, this.#o.retransmitPolicy === "head");
  }

  #rtoBounds(): RtoBounds {
    return { rtoMs: this.#effectiveRto(), maxRtoMs: RELIABILITY.maxRtoMs, lastAckAt: this.#lastAckAt };
  }

  /** The estimator's RTO, or the floor that needless timeouts raised if that is higher. */
  #effectiveRto(): number {
    return Math.max(this.#rtt.rto, this.#currentFloor(this.#o.clock.now()));
  }

  #currentFloor(now: number): number {
    if (this.#rtoFloor === 0) return 0;
    const floor = this.#rtoFloor * 0.5 ** ((now - this.#rtoFloorSince) / RTO_FLOOR_HALF_LIFE_MS);
    return floor > RELIABILITY.minRtoMs ? floor : 0;
  }

  /**
   * The peer acked a timed-out message twice: it had the first copy, so the timeout was shorter than the
   * path's pauses (a busy peer, a queue). Round trips cannot say so: Karn's rule drops the ack of every resent
   * message, and after a burst of needless resends no sample is left to raise the RTO. So the timeout itself
   * backs off, to twice what fired, once per episode, and then decays (DSACK-based detection, RFC 3708).
   */
  #needlessTimeout(now: number): void {
    this.#spuriousTimeouts++;
    if (now - this.#rtoFloorSince < RELIABILITY.minRtoMs && this.#rtoFloor > 0) return;
    this.#rtoFloor = Math.min(RELIABILITY.maxRtoMs, 2 * this.#effectiveRto());
    this.#rtoFloorSince = now;
  }

  /** Kept for a while, bounded: a duplicate's re-ack comes within a few round trips. */
  #rememberTimedOut(sequenceNumber: number): void {
    this.#timedOutAcked.add(sequenceNumber);
    if (this.#timedOutAcked.size > TIMED_OUT_MEMORY) {
      const oldest = this.#timedOutAcked.values().next().value;
      if (oldest !== undefined) this.#timedOutAcked.delete(oldest);
    }
  }

  #stopTimer(): void {
    if (this.#timeoutTimer !== undefined) this.#o.clock.clearTimeout(this.#timeoutTimer);
    this.#timeoutTimer = undefined;
  }

  /**
   * The timeout fell (§4.3): resend the oldest overdue message, each timeout doubling. With all-overdue, the
   * first timeout resends only that oldest one, as a probe (#probe); a timeout while the probe is unanswered
   * by an original's ack resends every overdue one.
   */
  #onTimeout(): void {
    if (this.#closed || this.#paused || this.#holdLeft() > 0) return;
    const now = this.#o.clock.now();
    const bounds = this.#rtoBounds();
    const allOverdue = this.#o.retransmitPolicy === "all-overdue";
    const probing = allOverdue && this.#probe === undefined;
    const candidates =
      allOverdue && !probing
        ? this.#ledger.timeoutCandidates(this.#resendQueued, false)
        : this.#timeoutCandidates();
    for (const entry of candidates) {
      if (now - timeoutBase(entry, bounds) < timeoutOf(entry, bounds)) continue;
      if (this.#givesUp(entry, now)) {
        this.#exhaust(entry);
        return;
      }
      entry.timeouts++;
      this.#timeouts++;
      this.#queueResend(entry.sequenceNumber);
      if (probing) {
        this.#probe = entry.sequenceNumber;
        break;
      }
    }
    if (allOverdue && !probing) this.#probe = undefined;
    this.#pump();
  }

  #givesUp(entry: InFlightMessage, now: number): boolean {
    return (
      entry.resends >= this.#o.maxResends ||
      (entry.resends > 0 && now - entry.firstSent >= this.#o.giveUpAfterMs)
    );
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
