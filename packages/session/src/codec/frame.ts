// ClientMessage binary frames ⇄ messages (§2): header layout, digest, and the receive-side checks of §2.4.

import { createHash } from "node:crypto";
import { FRAME, MessageType } from "../constants.js";
import { newMessageId, uuidFromWire, uuidToWire } from "./uuid.js";

/** A decoded (or to-be-encoded) data channel message. */
export interface ClientMessage {
  messageType: string;
  schemaVersion: number;
  /** Unix epoch milliseconds. */
  createdDate: number;
  sequenceNumber: number;
  flags: number;
  /** Canonical UUID (§2.3). */
  messageId: string;
  payloadDigest: Uint8Array;
  payloadType: number;
  /** PayloadLength as written in the frame (readers do not slice by it, §2.2). */
  payloadLength: number;
  payload: Uint8Array;
}

export interface FrameFields {
  messageType: string;
  sequenceNumber: number;
  flags: number;
  payloadType: number;
  payload: Uint8Array;
  messageId?: string;
  createdDate?: number;
  schemaVersion?: number;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

/** Builds one frame. Writers always emit HL = 116, space padding and a correct digest (§2.1, §2.2). */
export function encodeFrame(fields: FrameFields): Uint8Array {
  const typeBytes = Buffer.from(fields.messageType, "latin1");
  if (typeBytes.length === 0 || typeBytes.length > FRAME.messageTypeLength)
    throw new RangeError(`MessageType must be 1–32 bytes: ${JSON.stringify(fields.messageType)}`);
  const frame = Buffer.alloc(FRAME.payloadOffset + fields.payload.length);
  frame.writeUInt32BE(FRAME.headerLength, FRAME.headerLengthOffset);
  frame.fill(0x20, FRAME.messageTypeOffset, FRAME.messageTypeOffset + FRAME.messageTypeLength);
  typeBytes.copy(frame, FRAME.messageTypeOffset);
  frame.writeUInt32BE(fields.schemaVersion ?? FRAME.schemaVersion, FRAME.schemaVersionOffset);
  frame.writeBigUInt64BE(BigInt(fields.createdDate ?? Date.now()), FRAME.createdDateOffset);
  frame.writeBigInt64BE(BigInt(fields.sequenceNumber), FRAME.sequenceNumberOffset);
  frame.writeBigUInt64BE(BigInt(fields.flags), FRAME.flagsOffset);
  frame.set(uuidToWire(fields.messageId ?? newMessageId()), FRAME.messageIdOffset);
  frame.set(sha256(fields.payload), FRAME.payloadDigestOffset);
  frame.writeUInt32BE(fields.payloadType, FRAME.payloadTypeOffset);
  frame.writeUInt32BE(fields.payload.length, FRAME.headerLength);
  frame.set(fields.payload, FRAME.payloadOffset);
  return frame;
}

/** What to do when a frame's digest does not match its payload. */
export type DigestPolicy = "enforce" | "warn" | "skip";

export interface DecodeOptions {
  /** Per message type; default: `enforce` for every type. */
  digestPolicy?: (messageType: string) => DigestPolicy;
  /** Frames longer than this are dropped before parsing (bounded memory). */
  maxFrameBytes?: number;
}

export type DecodeResult =
  | { ok: true; message: ClientMessage; warnings: string[] }
  | { ok: false; reason: string; messageType?: string };

/** The default ceiling on an inbound frame: far above any payload an official writer sends (§4.6). */
export const DEFAULT_MAX_FRAME_BYTES = 256 * 1024;

/** MGS-originated frames whose header fields are unreliable: no check applies to them (§2.4). */
const UNCHECKED_TYPES: readonly string[] = [MessageType.StartPublication, MessageType.PausePublication];

/** MessageType as both official readers take it: NULs stripped from both ends, then whitespace (§2.2). */
function readMessageType(frame: Buffer): string {
  const raw = frame.toString(
    "latin1",
    FRAME.messageTypeOffset,
    FRAME.messageTypeOffset + FRAME.messageTypeLength,
  );
  return raw.replace(/^\0+|\0+$/g, "").trim();
}

/**
 * Parses one binary frame. Never throws: a frame that fails a check of §2.4 (or is too short to hold a
 * header) comes back as `{ ok: false, reason }`, which the caller drops without acknowledging.
 */
export function decodeFrame(bytes: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (bytes.length > maxFrameBytes)
    return { ok: false, reason: `frame of ${bytes.length} bytes exceeds the ${maxFrameBytes}-byte limit` };
  if (bytes.length < FRAME.payloadOffset)
    return {
      ok: false,
      reason: `frame of ${bytes.length} bytes is shorter than the ${FRAME.payloadOffset}-byte header`,
    };
  const frame = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const messageType = readMessageType(frame);
  const headerLength = frame.readUInt32BE(FRAME.headerLengthOffset);
  const checked = !UNCHECKED_TYPES.includes(messageType);

  if (checked && headerLength === 0) return { ok: false, reason: "HeaderLength is 0", messageType };
  if (checked && messageType.length === 0) return { ok: false, reason: "MessageType is empty" };
  // Readers trust HL and take the payload from HL + 4 to the end (§2.2). An HL that points inside the fixed
  // header or past the frame cannot locate a payload: drop rather than read garbage (safe side).
  const payloadStart = checked ? headerLength + 4 : FRAME.payloadOffset;
  if (payloadStart < FRAME.payloadOffset || payloadStart > frame.length)
    return {
      ok: false,
      reason: `HeaderLength ${headerLength} does not fit a ${frame.length}-byte frame`,
      messageType,
    };

  const createdDate = Number(frame.readBigUInt64BE(FRAME.createdDateOffset));
  if (checked && createdDate === 0) return { ok: false, reason: "CreatedDate is 0", messageType };
  const sequence = frame.readBigInt64BE(FRAME.sequenceNumberOffset);
  if (sequence < BigInt(Number.MIN_SAFE_INTEGER) || sequence > BigInt(Number.MAX_SAFE_INTEGER))
    return { ok: false, reason: `SequenceNumber ${sequence} is out of range`, messageType };

  const payloadLength = frame.readUInt32BE(payloadStart - 4);
  const payload = new Uint8Array(frame.subarray(payloadStart));
  const payloadDigest = new Uint8Array(
    frame.subarray(FRAME.payloadDigestOffset, FRAME.payloadDigestOffset + FRAME.payloadDigestLength),
  );
  const warnings: string[] = [];
  if (checked && payloadLength !== 0) {
    const policy = options.digestPolicy?.(messageType) ?? "enforce";
    if (policy !== "skip" && !Buffer.from(sha256(payload)).equals(payloadDigest)) {
      if (policy === "enforce")
        return { ok: false, reason: "PayloadDigest does not match the payload", messageType };
      warnings.push("PayloadDigest does not match the payload");
    }
  }
  if (checked && payloadLength !== payload.length)
    warnings.push(`PayloadLength ${payloadLength} differs from the ${payload.length} payload bytes`);

  return {
    ok: true,
    warnings,
    message: {
      messageType,
      schemaVersion: frame.readUInt32BE(FRAME.schemaVersionOffset),
      createdDate,
      sequenceNumber: Number(sequence),
      flags: Number(frame.readBigUInt64BE(FRAME.flagsOffset)),
      messageId: uuidFromWire(frame.subarray(FRAME.messageIdOffset, FRAME.messageIdOffset + 16)),
      payloadDigest,
      payloadType: frame.readUInt32BE(FRAME.payloadTypeOffset),
      payloadLength,
      payload,
    },
  };
}
