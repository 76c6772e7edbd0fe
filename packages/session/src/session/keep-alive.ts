// WebSocket keepalive (§1.6): the plugin pings right after open and then every 5 minutes, on whatever
// transport is live; a new transport is pinged at once.

import type { TimerHandle } from "../clock.js";
import type { DataChannelCore } from "./data-channel-core.js";

/** §1.6: the plugin pings right after open and then every 5 minutes. */
export const KEEPALIVE_INTERVAL_MS = 300_000;

export class KeepAlive {
  readonly #core: DataChannelCore;
  /** 0 or less: no timer (pings on `start` and `restart` still go out). */
  readonly #intervalMs: number;
  #timer: TimerHandle | undefined;

  constructor(core: DataChannelCore, intervalMs = KEEPALIVE_INTERVAL_MS) {
    this.#core = core;
    this.#intervalMs = intervalMs;
  }

  /** A ping now, then one every interval. */
  start(): void {
    this.#core.ping();
    this.#schedule();
  }

  /** After a transport swap: a ping now, and the timer again if it had stopped. */
  restart(): void {
    if (this.#core.ping() && this.#timer === undefined) this.#schedule();
  }

  stop(): void {
    if (this.#timer !== undefined) this.#core.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#intervalMs <= 0 || this.#core.ended !== undefined) return;
    this.#timer = this.#core.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#core.ping();
      this.#schedule();
    }, this.#intervalMs);
  }
}
