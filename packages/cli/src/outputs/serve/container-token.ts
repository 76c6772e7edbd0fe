// The container-credentials authorization token: 256 random bits, and a comparison that takes the same time
// whatever the caller sent (so timing cannot reveal how much of a guess was right).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes, base64url: 43 characters with no newline, which the SDKs send as `Authorization`. */
export function newContainerToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * True when `given` is the token. Both sides are hashed first so timingSafeEqual always compares two
 * 32-byte buffers: a guess of another length is refused in the same time as one of the right length.
 */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  const same = timingSafeEqual(digest(expected), digest(given ?? ""));
  return same && given !== undefined;
}
