// The MessageType of a data channel frame without decoding it (§2.1, §2.2): the relay only needs to know
// which kind of frame passes, to count data frames and keep MGS-only frames to itself.

const TYPE_OFFSET = 4;
const TYPE_LENGTH = 32;

/** Trimmed of NULs and whitespace as both official readers do; "" when the frame is too short. */
export function messageTypeOf(frame: Uint8Array): string {
  if (frame.length < TYPE_OFFSET + TYPE_LENGTH) return "";
  return Buffer.from(frame.buffer, frame.byteOffset + TYPE_OFFSET, TYPE_LENGTH)
    .toString("latin1")
    .replace(/^\0+|\0+$/g, "")
    .trim();
}
