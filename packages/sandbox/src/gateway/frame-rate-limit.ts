// A token bucket per direction: MGS reportedly allows about 1000 data frames per second per session and
// tolerates short bursts (ssm-protocol.md §9, 3rd-party). `take` says whether one more frame fits.

export class FrameRateLimit {
  #tokens: number;
  #last: number;

  /** `perSecond` = Infinity disables the limit. */
  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = burst;
    this.#last = now();
  }

  /** Frames that may still come back to back now (Infinity without a limit). */
  get tokens(): number {
    if (!Number.isFinite(this.perSecond)) return Number.POSITIVE_INFINITY;
    this.#refill();
    return this.#tokens;
  }

  take(): boolean {
    if (!Number.isFinite(this.perSecond)) return true;
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #refill(): void {
    const now = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) * this.perSecond) / 1000);
    this.#last = now;
  }

  /** Milliseconds until `count` frames fit again. */
  msUntil(count: number): number {
    if (!Number.isFinite(this.perSecond)) return 0;
    return Math.max(0, ((count - this.#tokens) * 1000) / this.perSecond);
  }
}
