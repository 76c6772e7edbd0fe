// An smux v1 session over the data channel's byte stream (§7.4), either role: the client opens streams
// (odd ids from 3), the server (agent side) accepts them. Outgoing data is scheduled round-robin across
// streams so a bulk stream cannot starve the others; each stream is bounded on both sides (see
// stream-credit.ts), and data-channel receive never waits on a local consumer.

import { type Clock, systemClock, type TimerHandle } from "../clock.js";
import { describeError, SmuxProtocolError } from "../errors.js";
import { MuxStream, type MuxStreamHost, type MuxStreamLimits } from "./mux-stream.js";
import { encodeSmuxHeader, SMUX, SmuxCommand, type SmuxFrame } from "./smux-frame.js";
import { SmuxFrameReader } from "./smux-reader.js";
import { CREDIT_UNIT_BYTES, DEFAULT_STREAM_WINDOW_BYTES, MAX_STREAM_WINDOW_BYTES } from "./stream-credit.js";

export type MuxRole = "client" | "server";

/** Knobs of a mux session; every one has a default. */
export interface MuxTuning {
  /** Largest PSH data per frame (32 768, xtaci's MaxFrameSize). */
  maxFrameBytes?: number;
  /** Data one stream may put out per round-robin turn (header included: 4 096). */
  quantumBytes?: number;
  /** Bytes handed to the data channel per send call (8 192: whole 1 024-byte frames). */
  batchBytes?: number;
  /** Receive window announced per stream (256 KiB). */
  streamWindowBytes?: number;
  /** A stream's writable buffer before its producer is paused (64 KiB). */
  streamWriteBufferBytes?: number;
  /** Unread bytes of one stream, from a peer that ignores credits, before the session pushes back (4 MiB). */
  streamHardLimitBytes?: number;
  /** Announce and honour per-stream credits (default true; harmless to official peers). */
  credits?: boolean;
  /** Open streams at most; further SYNs are answered with FIN (1 024). */
  maxStreams?: number;
  /** NOP keepalive every this many ms (0 = off, as §3.6 makes it for current versions). */
  keepAliveIntervalMs?: number;
  /** With keepalive on: end the session when nothing arrived for this long (30 s). */
  keepAliveTimeoutMs?: number;
}

export interface MuxSessionOptions extends MuxTuning {
  role: MuxRole;
  /** Writes smux bytes toward the peer; the returned promise is the back-pressure. */
  send: (bytes: Uint8Array) => Promise<void>;
  /** Server role: a stream the peer opened. Without it, peer-opened streams are refused (FIN). */
  onStream?: (stream: MuxStream) => void;
  /** True while some stream, fed by a peer that ignores credits, is over its hard limit. */
  onReceivePressure?: (stalled: boolean) => void;
  /** The session ended: `error` for a protocol error, a failed send or a keepalive timeout. */
  onClose?: (error?: Error) => void;
  onDiagnostic?: (reason: string) => void;
  clock?: Clock;
}

export interface MuxSessionStats {
  openStreams: number;
  framesIn: number;
  framesOut: number;
  droppedFrames: number;
  stalledStreams: number;
}

export class MuxSession {
  readonly role: MuxRole;
  readonly #o: MuxSessionOptions;
  readonly #clock: Clock;
  readonly #reader: SmuxFrameReader;
  readonly #streams = new Map<number, MuxStream>();
  readonly #limits: MuxStreamLimits;
  readonly #host: MuxStreamHost;
  readonly #maxFrame: number;
  readonly #quantum: number;
  readonly #batch: number;
  #control: Uint8Array[] = [];
  #nextStreamId: number;
  #cursor = 0;
  #pumping = false;
  #closed = false;
  #stalled = new Set<MuxStream>();
  #lastReceived: number;
  #keepAliveTimer: TimerHandle | undefined;
  #stats = { framesIn: 0, framesOut: 0, droppedFrames: 0 };

  constructor(options: MuxSessionOptions) {
    this.#o = options;
    this.role = options.role;
    this.#clock = options.clock ?? systemClock;
    this.#nextStreamId = options.role === "client" ? SMUX.clientFirstStreamId : SMUX.serverFirstStreamId;
    this.#maxFrame = clamp(options.maxFrameBytes ?? SMUX.maxFrameBytes, 1, SMUX.maxLength);
    this.#quantum = Math.max(SMUX.headerBytes + 1, options.quantumBytes ?? 4096);
    this.#batch = Math.max(SMUX.headerBytes + 1, options.batchBytes ?? 8192);
    this.#limits = {
      windowBytes: clamp(
        options.streamWindowBytes ?? DEFAULT_STREAM_WINDOW_BYTES,
        1024,
        MAX_STREAM_WINDOW_BYTES,
      ),
      hardLimitBytes: options.streamHardLimitBytes ?? SMUX.maxReceiveBuffer,
      writeBufferBytes: options.streamWriteBufferBytes ?? 64 * 1024,
      credits: options.credits ?? true,
    };
    this.#reader = new SmuxFrameReader((frame) => this.#onFrame(frame));
    this.#lastReceived = this.#clock.now();
    this.#host = {
      schedule: () => this.#schedule(),
      sendFin: (id) => this.#queueControl(encodeSmuxHeader(SmuxCommand.Fin, 0, id)),
      sendCredit: (id, units) => this.#queueControl(encodeSmuxHeader(SmuxCommand.Nop, units, id)),
      streamGone: (stream) => {
        if (this.#streams.get(stream.id) === stream) this.#streams.delete(stream.id);
      },
      receivePressure: (stream, stalled) => this.#pressure(stream, stalled),
    };
    if ((options.keepAliveIntervalMs ?? 0) > 0) this.#armKeepAlive();
  }

  get closed(): boolean {
    return this.#closed;
  }

  stats(): MuxSessionStats {
    return { openStreams: this.#streams.size, stalledStreams: this.#stalled.size, ...this.#stats };
  }

  streams(): MuxStream[] {
    return [...this.#streams.values()];
  }

  /** Opens a stream (SYN, then the credit announcement). */
  openStream(): MuxStream {
    if (this.#closed)
      throw new SmuxProtocolError("The multiplexed session is closed.", "Start a new port session.");
    const id = this.#nextStreamId;
    if (id > SMUX.maxStreamId)
      throw new SmuxProtocolError(
        "The multiplexed session ran out of stream ids.",
        "Start a new port session.",
      );
    this.#nextStreamId += 2;
    const stream = this.#adopt(id);
    // The SYN's length field carries our window (stream-credit.ts): the acceptor knows it before any data.
    this.#queueControl(encodeSmuxHeader(SmuxCommand.Syn, this.#limits.credits ? this.#windowUnits() : 0, id));
    return stream;
  }

  /** Bytes from the peer (the concatenated Output payloads of the data channel). Never blocks. */
  receive(bytes: Uint8Array): void {
    if (this.#closed) return;
    this.#lastReceived = this.#clock.now();
    try {
      this.#reader.push(bytes);
    } catch (error) {
      this.close(error instanceof Error ? error : new Error(describeError(error)));
    }
  }

  /** Ends the session: every stream is destroyed (with `error` if given). */
  close(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#keepAliveTimer !== undefined) this.#clock.clearTimeout(this.#keepAliveTimer);
    this.#keepAliveTimer = undefined;
    this.#control = [];
    for (const stream of [...this.#streams.values()]) stream.sessionGone(error);
    this.#streams.clear();
    if (this.#stalled.size > 0) {
      this.#stalled.clear();
      this.#o.onReceivePressure?.(false);
    }
    this.#o.onClose?.(error);
  }

  #adopt(id: number): MuxStream {
    const stream = new MuxStream(id, this.#host, this.#limits);
    this.#streams.set(id, stream);
    return stream;
  }

  #windowUnits(): number {
    return Math.floor(this.#limits.windowBytes / CREDIT_UNIT_BYTES);
  }

  #onFrame(frame: SmuxFrame): void {
    this.#stats.framesIn++;
    const stream = this.#streams.get(frame.streamId);
    switch (frame.command) {
      case SmuxCommand.Syn:
        if (stream !== undefined) return; // xtaci ignores a SYN for a live id
        this.#accept(frame.streamId, frame.length);
        return;
      case SmuxCommand.Fin:
        stream?.receiveFin();
        return;
      case SmuxCommand.Push:
        if (stream === undefined) {
          this.#stats.droppedFrames++;
          if (frame.length > 0) this.#o.onDiagnostic?.(`data for closed stream ${frame.streamId} dropped`);
          return;
        }
        if (frame.data.length > 0) stream.receiveData(frame.data);
        return;
      case SmuxCommand.Nop:
        if (frame.streamId !== 0) stream?.receiveCredit(frame.length);
        return;
    }
  }

  #accept(id: number, openerWindowUnits: number): void {
    const onStream = this.#o.onStream;
    if (onStream === undefined || this.#streams.size >= (this.#o.maxStreams ?? 1024)) {
      this.#o.onDiagnostic?.(
        `stream ${id} refused (${onStream === undefined ? "this side accepts none" : "too many streams"})`,
      );
      this.#queueControl(encodeSmuxHeader(SmuxCommand.Fin, 0, id));
      return;
    }
    const stream = this.#adopt(id);
    if (openerWindowUnits > 0) stream.receiveCredit(openerWindowUnits);
    if (this.#limits.credits)
      this.#queueControl(encodeSmuxHeader(SmuxCommand.Nop, this.#windowUnits(), stream.id));
    onStream(stream);
  }

  #pressure(stream: MuxStream, stalled: boolean): void {
    const before = this.#stalled.size;
    if (stalled) this.#stalled.add(stream);
    else this.#stalled.delete(stream);
    const after = this.#stalled.size;
    if (before === 0 && after > 0) {
      this.#o.onDiagnostic?.(
        `stream ${stream.id}: peer ignores credits and the reader is slow; pushing back`,
      );
      this.#o.onReceivePressure?.(true);
    } else if (before > 0 && after === 0) this.#o.onReceivePressure?.(false);
  }

  #queueControl(frame: Uint8Array): void {
    if (this.#closed) return;
    this.#control.push(frame);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#pumping || this.#closed) return;
    void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      for (let batch = this.#buildBatch(); batch !== undefined; batch = this.#buildBatch()) {
        await this.#o.send(batch);
        if (this.#closed) return;
      }
    } catch (error) {
      this.close(error instanceof Error ? error : new Error(describeError(error)));
    } finally {
      this.#pumping = false;
    }
  }

  /** Control frames first, then data round-robin (one quantum per stream per turn), up to batchBytes. */
  #buildBatch(): Uint8Array | undefined {
    if (this.#closed) return undefined;
    const parts: Uint8Array[] = [];
    let size = 0;
    while (this.#control.length > 0 && size < this.#batch) {
      const frame = this.#control.shift()!;
      parts.push(frame);
      size += frame.length;
    }
    let progress = true;
    while (progress && size + SMUX.headerBytes < this.#batch) {
      progress = false;
      const streams = [...this.#streams.values()];
      const start = this.#cursor;
      for (let i = 0; i < streams.length && size + SMUX.headerBytes < this.#batch; i++) {
        const stream = streams[(start + i) % streams.length]!;
        if (!stream.sendable) continue;
        const room = Math.min(this.#quantum, this.#batch - size) - SMUX.headerBytes;
        const data = stream.takeData(Math.min(room, this.#maxFrame));
        if (data !== undefined) {
          parts.push(encodeSmuxHeader(SmuxCommand.Push, data.length, stream.id), data);
          size += SMUX.headerBytes + data.length;
          this.#stats.framesOut++;
          progress = true;
        } else if (stream.takeFin()) {
          parts.push(encodeSmuxHeader(SmuxCommand.Fin, 0, stream.id));
          size += SMUX.headerBytes;
          this.#stats.framesOut++;
          progress = true;
        }
        if (progress) this.#cursor = (start + i + 1) % streams.length;
      }
      // Frames queued while taking data (a credit, a FIN on destroy) go out in this batch too.
      while (this.#control.length > 0 && size < this.#batch) {
        const frame = this.#control.shift()!;
        parts.push(frame);
        size += frame.length;
      }
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  #armKeepAlive(): void {
    const interval = this.#o.keepAliveIntervalMs ?? 0;
    const timeout = this.#o.keepAliveTimeoutMs ?? SMUX.keepAliveTimeoutMs;
    this.#keepAliveTimer = this.#clock.setTimeout(() => {
      this.#keepAliveTimer = undefined;
      if (this.#closed) return;
      if (this.#clock.now() - this.#lastReceived >= timeout) {
        this.close(
          new SmuxProtocolError(
            `Nothing arrived on the multiplexed session for ${timeout} ms.`,
            "The network or the agent stopped answering; start the port session again.",
          ),
        );
        return;
      }
      this.#queueControl(encodeSmuxHeader(SmuxCommand.Nop, 0, 0));
      this.#armKeepAlive();
    }, interval);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
