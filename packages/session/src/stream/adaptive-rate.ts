// The client's frame rate, found rather than fixed (§4.5, §9): MGS reportedly allows about 1000 data frames
// per second per session, pauses a sender that keeps above it and closes one that goes on (3rd-party). A fixed
// 900/s leaves a tenth of that unused; a fixed 1000/s trips it. So the rate starts at the safe 900/s, rises
// while the sender has frames waiting and acks keep up, never above just under the reported ceiling, and
// falls by a factor on the signals the service gives: pause_publication, and acks coming back ever later
// (a queue building somewhere on the path). Additive increase, multiplicative decrease, as TCP does.

import { PACING } from "../constants.js";

export interface AdaptivePacingOptions {
  /** Where the rate starts (900/s, the spec's safe figure). */
  initialFramesPerSecond?: number;
  /** Never above this (990/s: 1 % under the ~1000/s MGS reportedly enforces). */
  maxFramesPerSecond?: number;
  /** Never below this, whatever the signals. */
  minFramesPerSecond?: number;
  /** How fast the rate rises, frames/s per second of sending with frames waiting (50). */
  increasePerSecond?: number;
  /** What a back-off keeps of the rate (0.7). */
  decreaseFactor?: number;
  /** Acks this much later than the fastest seen (and at least twice as late) mean a queue: back off (100). */
  latencyGrowthMs?: number;
}

export type BackOffSignal = "pause_publication" | "ack latency";

export class AdaptiveRate {
  readonly #max: number;
  readonly #min: number;
  readonly #increase: number;
  readonly #factor: number;
  readonly #latencyGrowth: number;
  #rate: number;
  #minRtt = Number.POSITIVE_INFINITY;
  /** The fastest round trip of the current 10 s period: the floor moves up to it when the period ends. */
  #periodMinRtt = Number.POSITIVE_INFINITY;
  #periodStart: number | undefined;
  /** A fast-moving average of ack round trips (¼ weight per sample). */
  #recentRtt: number | undefined;
  #lastAckAt: number | undefined;
  #lastBackOffAt = Number.NEGATIVE_INFINITY;
  /** Since when the round trips have stood above the fastest by more than the allowance. */
  #queueingSince: number | undefined;
  #backOffs = 0;

  constructor(options: AdaptivePacingOptions = {}) {
    this.#max = options.maxFramesPerSecond ?? PACING.adaptiveMaxFramesPerSecond;
    this.#min = Math.min(this.#max, options.minFramesPerSecond ?? PACING.adaptiveMinFramesPerSecond);
    this.#rate = clamp(options.initialFramesPerSecond ?? PACING.maxFramesPerSecond, this.#min, this.#max);
    this.#increase = options.increasePerSecond ?? PACING.adaptiveIncreasePerSecond;
    this.#factor = options.decreaseFactor ?? PACING.adaptiveDecreaseFactor;
    this.#latencyGrowth = options.latencyGrowthMs ?? PACING.adaptiveLatencyGrowthMs;
  }

  /** Frames per second to pace at now. */
  get framesPerSecond(): number {
    return this.#rate;
  }

  get backOffs(): number {
    return this.#backOffs;
  }

  /**
   * An ack with a round-trip sample. `backlogged`: frames were waiting for the pacer, so the rate (not the
   * producer) was the limit — only then does a rising rate tell anything. Returns the signal it backed off on.
   */
  onAck(sampleMs: number, now: number, backlogged: boolean): BackOffSignal | undefined {
    this.#trackMinRtt(sampleMs, now);
    this.#recentRtt = this.#recentRtt === undefined ? sampleMs : 0.75 * this.#recentRtt + 0.25 * sampleMs;
    const since = this.#lastAckAt === undefined ? 0 : Math.min(100, now - this.#lastAckAt);
    this.#lastAckAt = now;
    if (this.#queueBuilding(now) && this.backOff(now)) return "ack latency";
    if (backlogged) this.#rate = Math.min(this.#max, this.#rate + (this.#increase * since) / 1000);
    return undefined;
  }

  /**
   * Round trips above the fastest by more than the allowance for PACING.adaptiveLatencySustainMs: a queue
   * that does not drain. A burst's queue drains within that time and is not a signal.
   */
  #queueBuilding(now: number): boolean {
    const queueing = (this.#recentRtt ?? 0) - this.#minRtt;
    if (queueing <= Math.max(this.#latencyGrowth, this.#minRtt)) {
      this.#queueingSince = undefined;
      return false;
    }
    this.#queueingSince ??= now;
    return now - this.#queueingSince >= PACING.adaptiveLatencySustainMs;
  }

  /** The fastest round trip, forgotten period by period so a path that became slower is not read as a queue. */
  #trackMinRtt(sampleMs: number, now: number): void {
    this.#periodStart ??= now;
    if (now - this.#periodStart >= PACING.adaptiveMinRttPeriodMs) {
      this.#minRtt = this.#periodMinRtt;
      this.#periodMinRtt = Number.POSITIVE_INFINITY;
      this.#periodStart = now;
    }
    this.#periodMinRtt = Math.min(this.#periodMinRtt, sampleMs);
    this.#minRtt = Math.min(this.#minRtt, sampleMs);
  }

  /**
   * Backs off once per episode: signals within a cool-down (250 ms, or two recent round trips) of the last
   * back-off are the same congestion seen again. True when the rate fell.
   */
  backOff(now: number): boolean {
    const coolDown = Math.max(PACING.adaptiveCoolDownMs, 2 * (this.#recentRtt ?? 0));
    if (now - this.#lastBackOffAt < coolDown) return false;
    this.#lastBackOffAt = now;
    this.#rate = Math.max(this.#min, this.#rate * this.#factor);
    this.#backOffs++;
    // The queue that raised the round trips drains at the lower rate: judge latency afresh from here.
    this.#recentRtt = undefined;
    this.#queueingSince = undefined;
    return true;
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
