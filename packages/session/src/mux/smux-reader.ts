// Incremental smux v1 parser: bytes arrive split anywhere (1024-byte data channel payloads, §7.4) and come
// out as whole frames. Memory is bounded by one header plus one PSH body (≤ 65 535 bytes).

import { SmuxProtocolError } from "../errors.js";
import { SMUX, SmuxCommand, type SmuxCommandValue, type SmuxFrame } from "./smux-frame.js";

const KNOWN_COMMANDS: readonly number[] = [
  SmuxCommand.Syn,
  SmuxCommand.Fin,
  SmuxCommand.Push,
  SmuxCommand.Nop,
];

export class SmuxFrameReader {
  readonly #onFrame: (frame: SmuxFrame) => void;
  readonly #header = new Uint8Array(SMUX.headerBytes);
  #headerFill = 0;
  #body: { command: SmuxCommandValue; streamId: number; data: Uint8Array; fill: number } | undefined;
  #failed: SmuxProtocolError | undefined;

  constructor(onFrame: (frame: SmuxFrame) => void) {
    this.#onFrame = onFrame;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.#headerFill + (this.#body?.fill ?? 0);
  }

  /**
   * Feeds bytes; calls onFrame for every completed frame. Throws SmuxProtocolError on a bad version or
   * command, after which the reader refuses everything (the session is dead, as in xtaci/smux).
   */
  push(bytes: Uint8Array): void {
    if (this.#failed !== undefined) throw this.#failed;
    let offset = 0;
    while (offset < bytes.length) {
      if (this.#body !== undefined) {
        const body = this.#body;
        const take = Math.min(body.data.length - body.fill, bytes.length - offset);
        body.data.set(bytes.subarray(offset, offset + take), body.fill);
        body.fill += take;
        offset += take;
        if (body.fill === body.data.length) {
          this.#body = undefined;
          this.#onFrame({
            command: body.command,
            streamId: body.streamId,
            length: body.data.length,
            data: body.data,
          });
        }
        continue;
      }
      const take = Math.min(SMUX.headerBytes - this.#headerFill, bytes.length - offset);
      this.#header.set(bytes.subarray(offset, offset + take), this.#headerFill);
      this.#headerFill += take;
      offset += take;
      if (this.#headerFill < SMUX.headerBytes) break;
      this.#headerFill = 0;
      this.#headerComplete();
    }
  }

  #headerComplete(): void {
    const view = new DataView(this.#header.buffer);
    const version = this.#header[0]!;
    const command = this.#header[1]!;
    const length = view.getUint16(2, true);
    const streamId = view.getUint32(4, true);
    if (version !== SMUX.version)
      this.#fail(
        `smux frame with version ${version} (only version ${SMUX.version} is spoken on this session)`,
      );
    if (!KNOWN_COMMANDS.includes(command))
      this.#fail(`smux frame with unknown command ${command} (smux v1 knows SYN, FIN, PSH and NOP)`);
    const known = command as SmuxCommandValue;
    // Only PSH is followed by data; SYN/FIN/NOP lengths are read and ignored, as xtaci/smux does.
    if (known === SmuxCommand.Push && length > 0) {
      this.#body = { command: known, streamId, data: new Uint8Array(length), fill: 0 };
      return;
    }
    this.#onFrame({ command: known, streamId, length, data: new Uint8Array(0) });
  }

  #fail(reason: string): never {
    this.#failed = new SmuxProtocolError(
      `The port session's multiplexed stream is corrupt: ${reason}.`,
      "Both sides must agree on the port mode (smux v1 or basic); check the client and agent versions.",
    );
    throw this.#failed;
  }
}
