// Two in-memory byte streams joined like a socket pair: what one end writes the other reads, with real
// back-pressure (a writer waits until its peer's reader takes data), half-close on end(), reset on destroy.
// Tests use them as "local connections" and "destinations" where the CLI and agent use TCP sockets.

import { Duplex } from "node:stream";

class MemoryDuplex extends Duplex {
  peer!: MemoryDuplex;
  #waitingWrite: (() => void) | undefined;

  constructor(highWaterMark: number) {
    super({
      allowHalfOpen: true,
      readableHighWaterMark: highWaterMark,
      writableHighWaterMark: highWaterMark,
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.peer.destroyed) {
      callback(new Error("connection reset by peer"));
      return;
    }
    // Copy: the writer may reuse its buffer.
    if (this.peer.push(Buffer.from(chunk))) callback();
    else this.peer.#waitingWrite = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(null);
    callback();
  }

  override _read(): void {
    const resume = this.#waitingWrite;
    this.#waitingWrite = undefined;
    resume?.();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (!peer.destroyed) process.nextTick(() => peer.destroy());
    callback(error);
  }
}

/** A connected pair; `highWaterMark` bounds each direction's buffering (16 KiB). */
export function memoryDuplexPair(highWaterMark = 16 * 1024): [Duplex, Duplex] {
  const a = new MemoryDuplex(highWaterMark);
  const b = new MemoryDuplex(highWaterMark);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
