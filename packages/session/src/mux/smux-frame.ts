// smux v1 frames (ssm-protocol.md §7.4): the 8-byte little-endian header and the constants both roles share.

/** §7.4: xtaci/smux DefaultConfig as the plugin and the agent run it, plus the header layout. */
export const SMUX = {
  /** A frame of any other version kills the session. */
  version: 1,
  headerBytes: 8,
  /** Largest data a sender puts in one PSH (MaxFrameSize); a reader accepts up to the uint16 maximum. */
  maxFrameBytes: 32_768,
  maxLength: 0xffff,
  maxStreamId: 0xffff_ffff,
  /** The client's counter starts at 1 and adds 2 before use: 3, 5, 7, … */
  clientFirstStreamId: 3,
  /** xtaci's server counter starts at 0: 2, 4, … (the agent never opens streams). */
  serverFirstStreamId: 2,
  /** Session-wide receive bucket of the official peers (MaxReceiveBuffer). */
  maxReceiveBuffer: 4 * 1024 * 1024,
  keepAliveIntervalMs: 10_000,
  keepAliveTimeoutMs: 30_000,
} as const;

/** §7.4 cmd byte. 4 (UPD) exists only in smux v2 and is a protocol error here. */
export const SmuxCommand = {
  Syn: 0,
  Fin: 1,
  Push: 2,
  Nop: 3,
} as const;
export type SmuxCommandValue = (typeof SmuxCommand)[keyof typeof SmuxCommand];

/** One decoded frame. `length` is the header's length field; only PSH is followed by that many data bytes. */
export interface SmuxFrame {
  command: SmuxCommandValue;
  streamId: number;
  length: number;
  /** PSH data (empty for the other commands). */
  data: Uint8Array;
}

/** A header; for PSH, `length` must equal the data that follows it. */
export function encodeSmuxHeader(command: SmuxCommandValue, length: number, streamId: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > SMUX.maxLength)
    throw new RangeError(`smux length ${length} is outside 0..65535`);
  if (!Number.isInteger(streamId) || streamId < 0 || streamId > SMUX.maxStreamId)
    throw new RangeError(`smux stream id ${streamId} is outside the uint32 range`);
  const header = new Uint8Array(SMUX.headerBytes);
  const view = new DataView(header.buffer);
  header[0] = SMUX.version;
  header[1] = command;
  view.setUint16(2, length, true);
  view.setUint32(4, streamId, true);
  return header;
}

/** A whole frame: header plus, for PSH, its data. */
export function encodeSmuxFrame(
  command: SmuxCommandValue,
  streamId: number,
  data: Uint8Array = new Uint8Array(0),
): Uint8Array {
  if (command !== SmuxCommand.Push && data.length > 0)
    throw new RangeError("only PSH frames carry data in smux v1");
  const frame = new Uint8Array(SMUX.headerBytes + data.length);
  frame.set(encodeSmuxHeader(command, data.length, streamId), 0);
  frame.set(data, SMUX.headerBytes);
  return frame;
}
