// A token bucket that keeps data frames under a frames-per-second ceiling without sleeping per frame (§4.6, §9).

import type { Clock } from "../clock.js";

export interface FramePacerOptions {
  clock: Clock;
  /** Sustained ceiling; Infinity turns pacing off. */
  framesPerSecond: number;
  /** Frames that may leave back to back after a quiet spell. */
  burst: number;
}

export class FramePacer {
  readonly #clock: Clock;
  #rate: number;
  readonly #burst: number;
  #tokens: number;
  #refilledAt: number;

  constructor(options: FramePacerOptions) {
    if (!(options.framesPerSecond > 0)) throw new RangeError("framesPerSecond must be positive");
    this.#clock = options.clock;
    this.#rate = options.framesPerSecond;
    this.#burst = Math.max(1, options.burst);
    this.#tokens = this.#burst;
    this.#refilledAt = options.clock.now();
  }

  #refill(): void {
    const now = this.#clock.now();
    if (now > this.#refilledAt) {
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#refilledAt) * this.#rate) / 1000);
      this.#refilledAt = now;
    }
  }

  get framesPerSecond(): number {
    return this.#rate;
  }

  /** A new sustained rate from now on (tokens already earned are kept, up to the burst). */
  setRate(framesPerSecond: number): void {
    if (!(framesPerSecond > 0)) throw new RangeError("framesPerSecond must be positive");
    this.#refill();
    this.#rate = framesPerSecond;
  }

  /** Forgets the tokens saved up: after a pause the rate starts afresh, with no burst on top. */
  drain(): void {
    this.#refill();
    this.#tokens = Math.min(this.#tokens, 0);
  }

  /** Takes one frame's token if there is one. */
  tryTake(): boolean {
    if (this.#rate === Number.POSITIVE_INFINITY) return true;
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token (0 if one is available now). */
  delayUntilNext(): number {
    if (this.#rate === Number.POSITIVE_INFINITY) return 0;
    this.#refill();
    if (this.#tokens >= 1) return 0;
    return Math.ceil(((1 - this.#tokens) * 1000) / this.#rate);
  }
}
