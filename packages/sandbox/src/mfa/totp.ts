// Virtual MFA codes: RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30-second steps) as AWS virtual MFA devices use it.

import { createHmac, timingSafeEqual } from "node:crypto";
import { base32Decode } from "./base32.js";

export { Base32Error, base32Decode, base32Encode } from "./base32.js";

export const TOTP_DIGITS = 6;
export const TOTP_STEP_SECONDS = 30;

/** RFC 4226 HOTP: HMAC-SHA-1 over the 8-byte big-endian counter, dynamic truncation, modulo 10^digits. */
export function hotp(key: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  if (!Number.isSafeInteger(counter) || counter < 0)
    throw new RangeError("HOTP counter must be a non-negative integer");
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The TOTP time step (RFC 6238's T) that contains `timeMs` (milliseconds since the Unix epoch). */
export function totpStep(timeMs: number): number {
  return Math.floor(timeMs / 1000 / TOTP_STEP_SECONDS);
}

/** The 6-digit code of a base32 seed at a given time step. */
export function totpAt(secretBase32: string, step: number): string {
  return hotp(base32Decode(secretBase32), step);
}

/** The code an authenticator app shows at `timeMs`. */
export function totpNow(secretBase32: string, timeMs: number): string {
  return totpAt(secretBase32, totpStep(timeMs));
}

/**
 * Checks a code against the steps from `window` before to `window` after the current one (AWS accepts one
 * step of drift either way). Returns the matched step, so a caller can remember it and refuse a replay,
 * or null. Every candidate is compared in constant time, and all are compared, so timing says nothing.
 */
export function verifyTotp(secretBase32: string, code: string, timeMs: number, window = 1): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const key = base32Decode(secretBase32);
  const current = totpStep(timeMs);
  const given = Buffer.from(code, "ascii");
  let matched: number | null = null;
  // Current step first, then the nearest neighbours, so a collision resolves to the most likely step.
  const offsets = [0];
  for (let distance = 1; distance <= window; distance++) offsets.push(-distance, distance);
  for (const offset of offsets) {
    const step = current + offset;
    if (step < 0) continue;
    const expected = Buffer.from(hotp(key, step), "ascii");
    if (timingSafeEqual(expected, given) && matched === null) matched = step;
  }
  return matched;
}
