// MessageId byte order (§2.3): the canonical UUID's two 8-byte halves are swapped on the wire.

import { randomUUID } from "node:crypto";

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isCanonicalUuid(text: string): boolean {
  return CANONICAL_UUID.test(text);
}

/** A fresh random (v4) UUID, lower-case and hyphenated. */
export function newMessageId(): string {
  return randomUUID();
}

/** The 16 wire bytes of a canonical UUID: `U[8..15] ‖ U[0..7]`. */
export function uuidToWire(uuid: string): Uint8Array {
  if (!isCanonicalUuid(uuid)) throw new TypeError(`not a canonical UUID: ${JSON.stringify(uuid)}`);
  const canonical = Buffer.from(uuid.replaceAll("-", ""), "hex");
  const wire = new Uint8Array(16);
  wire.set(canonical.subarray(8, 16), 0);
  wire.set(canonical.subarray(0, 8), 8);
  return wire;
}

/** The canonical lower-case UUID of 16 wire bytes: `wire[8..15] ‖ wire[0..7]`. */
export function uuidFromWire(wire: Uint8Array): string {
  if (wire.length !== 16) throw new TypeError(`a wire UUID is 16 bytes, got ${wire.length}`);
  const hex = Buffer.concat([wire.subarray(8, 16), wire.subarray(0, 8)]).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
