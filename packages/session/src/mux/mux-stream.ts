// One smux stream as a node Duplex: what the local side writes leaves as PSH frames (within the peer's
// credit), what the peer sends is readable here, FIN is a half-close. Memory per stream stays bounded.

import { Duplex } from "node:stream";
import { CREDIT_UNIT_BYTES } from "./stream-credit.js";

/** What a stream asks of its session. */
export interface MuxStreamHost {
  /** The stream has something to send (data or its FIN). */
  schedule(): void;
  /** Queues a control frame (FIN on destroy, credit NOPs) ahead of data. */
  sendFin(streamId: number): void;
  sendCredit(streamId: number, units: number): void;
  /** The stream is done; forget its id (later frames for it are dropped, as xtaci/smux does). */
  streamGone(stream: MuxStream): void;
  /** A peer that ignores credits overfilled this stream (true) or it drained again (false). */
  receivePressure(stream: MuxStream, stalled: boolean): void;
}

export interface MuxStreamLimits {
  /** Receive window announced to the peer (credit mode), in bytes. */
  windowBytes: number;
  /** Buffered bytes beyond which a peer that ignores credits makes the session push back. */
  hardLimitBytes: number;
  writeBufferBytes: number;
  credits: boolean;
}

export class MuxStream extends Duplex {
  readonly id: number;
  readonly #host: MuxStreamHost;
  readonly #limits: MuxStreamLimits;
  // Sending: the one chunk node handed us (node's own writable buffer holds the rest, up to its HWM).
  #chunk: Uint8Array | undefined;
  #chunkOffset = 0;
  #chunkCallback: ((error?: Error | null) => void) | undefined;
  #finCallback: ((error?: Error | null) => void) | undefined;
  #finSent = false;
  /** Undefined until the peer announces credit mode; then at most this many unconsumed bytes in flight. */
  #peerWindow: number | undefined;
  #sentBytes = 0;
  #peerConsumed = 0;
  // Receiving.
  #receivedBytes = 0;
  #creditedBytes = 0;
  #remoteFin = false;
  #stalled = false;
  #gone = false;

  constructor(id: number, host: MuxStreamHost, limits: MuxStreamLimits) {
    super({
      allowHalfOpen: true,
      readableHighWaterMark: 64 * 1024,
      writableHighWaterMark: limits.writeBufferBytes,
    });
    this.id = id;
    this.#host = host;
    this.#limits = limits;
  }

  /** True once the peer said it grants credits for this stream (a tobira peer). */
  get creditMode(): boolean {
    return this.#peerWindow !== undefined;
  }

  /** Bytes received but not yet read by the local consumer. */
  get unreadBytes(): number {
    return this.readableLength;
  }

  /** Bytes the peer still lets us send now (Infinity for a peer without credits). */
  get sendAllowance(): number {
    if (this.#peerWindow === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.#peerWindow - (this.#sentBytes - this.#peerConsumed));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (chunk.length === 0) {
      callback();
      return;
    }
    this.#chunk = chunk;
    this.#chunkOffset = 0;
    this.#chunkCallback = callback;
    this.#host.schedule();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#finCallback = callback;
    this.#host.schedule();
  }

  override _read(): void {
    // Data is pushed as it arrives; consumption is observed in read(), where node has already taken it.
  }

  // node calls _read before it removes the chunk from the buffer, and not again until the next push; read()
  // is where every consumer (pipe, flowing 'data', async iteration, read()) takes bytes, so credit is
  // returned here, after the fact.
  override read(size?: number): ReturnType<Duplex["read"]> {
    const chunk: unknown = super.read(size);
    if (chunk !== null) this.#afterConsumption();
    return chunk;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Like xtaci's Close: tell the peer (once) and forget the id; unsent data is dropped.
    if (!this.#finSent && !this.#gone) {
      this.#finSent = true;
      this.#host.sendFin(this.id);
    }
    this.#chunk = undefined;
    this.#chunkCallback = undefined;
    this.#finCallback = undefined;
    if (this.#stalled) {
      this.#stalled = false;
      this.#host.receivePressure(this, false);
    }
    this.#leave();
    callback(error);
  }

  // ---- called by the session ----

  /** Up to `max` bytes of pending data within the peer's credit, or undefined. */
  takeData(max: number): Uint8Array | undefined {
    const chunk = this.#chunk;
    if (chunk === undefined || this.#finSent) return undefined;
    const size = Math.min(max, chunk.length - this.#chunkOffset, this.sendAllowance);
    if (size <= 0) return undefined;
    const data = chunk.subarray(this.#chunkOffset, this.#chunkOffset + size);
    this.#chunkOffset += size;
    this.#sentBytes += size;
    if (this.#chunkOffset === chunk.length) {
      const callback = this.#chunkCallback;
      this.#chunk = undefined;
      this.#chunkCallback = undefined;
      callback?.();
    }
    return data;
  }

  /** True (once) when the local side ended writing and every byte before it has been taken. */
  takeFin(): boolean {
    if (this.#finCallback === undefined || this.#chunk !== undefined || this.#finSent) return false;
    this.#finSent = true;
    const callback = this.#finCallback;
    this.#finCallback = undefined;
    callback();
    return true;
  }

  /** Whether takeData/takeFin would give something now. */
  get sendable(): boolean {
    if (this.#finSent) return false;
    if (this.#chunk !== undefined) return this.sendAllowance > 0;
    return this.#finCallback !== undefined;
  }

  receiveData(data: Uint8Array): void {
    if (this.#remoteFin || this.destroyed) return;
    this.#receivedBytes += data.length;
    this.push(data);
    if (!this.#stalled && this.readableLength > this.#limits.hardLimitBytes) {
      this.#stalled = true;
      this.#host.receivePressure(this, true);
    }
    this.#afterConsumption();
  }

  receiveFin(): void {
    if (this.#remoteFin || this.destroyed) return;
    this.#remoteFin = true;
    // Once both directions are done, node's autoDestroy calls _destroy, which forgets the id.
    this.push(null);
  }

  /** A NOP on this stream's id: the first announces the peer's window, later ones return credit (KiB). */
  receiveCredit(units: number): void {
    // With credits off this side behaves like xtaci/smux: NOPs mean nothing.
    if (!this.#limits.credits) return;
    const bytes = units * CREDIT_UNIT_BYTES;
    if (this.#peerWindow === undefined) this.#peerWindow = Math.max(CREDIT_UNIT_BYTES, bytes);
    else this.#peerConsumed += bytes;
    this.#host.schedule();
  }

  /** The session ended under the stream. */
  sessionGone(error?: Error): void {
    this.#gone = true;
    if (!this.destroyed) this.destroy(error);
  }

  /** Credit back what the consumer took; release session-wide pressure once the buffer halves. */
  #afterConsumption(): void {
    if (this.#stalled && this.readableLength <= this.#limits.hardLimitBytes / 2) {
      this.#stalled = false;
      this.#host.receivePressure(this, false);
    }
    if (!this.#limits.credits || this.#remoteFin || this.#gone) return;
    const consumed = this.#receivedBytes - this.readableLength;
    const owed = consumed - this.#creditedBytes;
    if (owed < Math.max(CREDIT_UNIT_BYTES, this.#limits.windowBytes / 4)) return;
    const units = Math.min(0xffff, Math.floor(owed / CREDIT_UNIT_BYTES));
    this.#creditedBytes += units * CREDIT_UNIT_BYTES;
    this.#host.sendCredit(this.id, units);
  }

  #leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#host.streamGone(this);
  }
}
