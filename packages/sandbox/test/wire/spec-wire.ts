// The Session Manager data channel as any client reads and writes it, written for these tests from
// ../shared/docs/ssm-protocol.md alone (§2 frame layout, §2.3 UUID halves, §4.2 acknowledge, §5.4 handshake
// response, §6.3 AES-GCM payloads): nothing of @tobira/session, so the sandbox agent is checked against the
// spec and not against its own codec.

import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from "node:crypto";

/** §2.1: the fixed header is 120 bytes; HeaderLength is written as 116 (the offset of PayloadLength). */
export const HEADER_LENGTH = 116;
const PAYLOAD_OFFSET = 120;

/** §3.2 payload types these tests send or expect. */
export const PT = {
  Output: 1,
  Size: 3,
  HandshakeRequest: 5,
  HandshakeResponse: 6,
  HandshakeComplete: 7,
  EncChallengeRequest: 8,
  EncChallengeResponse: 9,
  Flag: 10,
  StdErr: 11,
  ExitCode: 12,
} as const;

export interface WireFrame {
  headerLength: number;
  messageType: string;
  schemaVersion: number;
  createdDate: bigint;
  sequenceNumber: bigint;
  flags: bigint;
  /** Canonical (RFC 4122 order) lower-case UUID. */
  messageId: string;
  payloadDigest: Buffer;
  payloadType: number;
  payloadLength: number;
  /** bytes[HL + 4 ..], as both official readers take it (§2.2). */
  payload: Buffer;
}

export interface FrameFields {
  messageType: string;
  sequenceNumber: bigint | number;
  flags: bigint | number;
  payloadType: number;
  payload: Buffer;
  messageId?: string;
  createdDate?: bigint | number;
}

/** §2.3: the canonical UUID bytes with their two 8-byte halves swapped. */
export function uuidToWire(uuid: string): Buffer {
  const canonical = Buffer.from(uuid.replaceAll("-", ""), "hex");
  return Buffer.concat([canonical.subarray(8, 16), canonical.subarray(0, 8)]);
}

export function uuidFromWire(bytes: Buffer): string {
  const hex = Buffer.concat([bytes.subarray(8, 16), bytes.subarray(0, 8)]).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** §2.1, written as the official writers do: MessageType right-padded with spaces, a real digest and length. */
export function encodeWireFrame(fields: FrameFields): Buffer {
  const header = Buffer.alloc(PAYLOAD_OFFSET);
  header.writeUInt32BE(HEADER_LENGTH, 0);
  header.write(fields.messageType.padEnd(32, " "), 4, 32, "ascii");
  header.writeUInt32BE(1, 36);
  header.writeBigUInt64BE(BigInt(fields.createdDate ?? Date.now()), 40);
  header.writeBigInt64BE(BigInt(fields.sequenceNumber), 48);
  header.writeBigUInt64BE(BigInt(fields.flags), 56);
  uuidToWire(fields.messageId ?? randomUUID()).copy(header, 64);
  createHash("sha256").update(fields.payload).digest().copy(header, 80);
  header.writeUInt32BE(fields.payloadType, 112);
  header.writeUInt32BE(fields.payload.length, 116);
  return Buffer.concat([header, fields.payload]);
}

export function decodeWireFrame(bytes: Buffer): WireFrame {
  if (bytes.length < PAYLOAD_OFFSET)
    throw new Error(`frame of ${bytes.length} bytes is shorter than its header`);
  const headerLength = bytes.readUInt32BE(0);
  return {
    headerLength,
    // §2.2: readers strip NULs, then whitespace, from both ends.
    messageType: bytes
      .toString("ascii", 4, 36)
      .replace(/^\0+|\0+$/g, "")
      .trim(),
    schemaVersion: bytes.readUInt32BE(36),
    createdDate: bytes.readBigUInt64BE(40),
    sequenceNumber: bytes.readBigInt64BE(48),
    flags: bytes.readBigUInt64BE(56),
    messageId: uuidFromWire(bytes.subarray(64, 80)),
    payloadDigest: Buffer.from(bytes.subarray(80, 112)),
    payloadType: bytes.readUInt32BE(112),
    payloadLength: bytes.readUInt32BE(116),
    payload: Buffer.from(bytes.subarray(headerLength + 4)),
  };
}

/** §4.2: the acknowledge of one received stream message, from the client. */
export function acknowledgeFrame(acked: WireFrame): Buffer {
  const content = {
    AcknowledgedMessageType: acked.messageType,
    AcknowledgedMessageId: acked.messageId,
    AcknowledgedMessageSequenceNumber: Number(acked.sequenceNumber),
    IsSequentialMessage: true,
  };
  return encodeWireFrame({
    messageType: "acknowledge",
    sequenceNumber: 0,
    flags: 3,
    payloadType: 0,
    payload: Buffer.from(JSON.stringify(content)),
  });
}

/** §1.5: the first (text) frame after the upgrade. */
export function openDataChannelText(token: string, clientVersion: string): string {
  return JSON.stringify({
    MessageSchemaVersion: "1.0",
    RequestId: randomUUID(),
    TokenValue: token,
    ClientId: randomUUID(),
    ClientVersion: clientVersion,
  });
}

/** §6.3: nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16), no additional data. */
export function sealPayload(key: Buffer, plaintext: Buffer): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

export function openPayload(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
}
