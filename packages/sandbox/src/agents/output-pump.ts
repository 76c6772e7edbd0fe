// Carries a process's output to the data channel in order, pausing the process while too much is queued so
// a fast producer (cat of a big file) waits for the channel instead of filling memory.

import { Utf8Chunker } from "./utf8-chunks.js";

export interface OutputPumpOptions {
  /** Queues one frame's bytes on the channel; resolves when accepted. */
  send: (bytes: Uint8Array) => Promise<void>;
  /** Also called with every chunk (the transcript). */
  record?: (bytes: Uint8Array) => void;
  pause: () => void;
  resume: () => void;
  /** Largest payload per frame (1024, §4.6). */
  frameBytes: number;
  /** Bytes queued before the source is paused. */
  highWaterBytes?: number;
}

export class OutputPump {
  readonly #o: OutputPumpOptions;
  readonly #chunker: Utf8Chunker;
  #chain: Promise<void> = Promise.resolve();
  #queued = 0;
  #paused = false;
  #failed = false;

  constructor(options: OutputPumpOptions) {
    this.#o = options;
    this.#chunker = new Utf8Chunker(options.frameBytes);
  }

  push(bytes: Uint8Array): void {
    for (const chunk of this.#chunker.push(bytes)) this.#enqueue(chunk);
  }

  /** Sends the held tail and resolves once everything pushed has been accepted by the channel. */
  async finish(): Promise<void> {
    const rest = this.#chunker.flush();
    if (rest.length > 0) this.#enqueue(rest);
    await this.#chain;
  }

  #enqueue(chunk: Uint8Array): void {
    if (this.#failed) return;
    this.#o.record?.(chunk);
    this.#queued += chunk.length;
    if (!this.#paused && this.#queued > (this.#o.highWaterBytes ?? 64 * 1024)) {
      this.#paused = true;
      this.#o.pause();
    }
    this.#chain = this.#chain
      .then(() => this.#o.send(chunk))
      .catch(() => {
        // The channel closed: nothing more can go out; keep draining so the source is not held paused.
        this.#failed = true;
      })
      .finally(() => {
        this.#queued -= chunk.length;
        if (this.#paused && this.#queued <= (this.#o.highWaterBytes ?? 64 * 1024) / 4) {
          this.#paused = false;
          this.#o.resume();
        }
      });
  }
}
