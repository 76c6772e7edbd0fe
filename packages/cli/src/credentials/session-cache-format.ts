// The session cache's file format, shared by the store (session-cache-file.ts) and the synchronous reader of
// the credential-process fast path (session-cache-reader.ts): entry and lock names, sealing and opening.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import type { CacheEntry } from "./ports.js";

const MAGIC = Buffer.from("TBS1");
export const KEY_FILE = "session-cache.key";
export const ENTRY_SUFFIX = ".session";

export interface Sealed {
  key: string;
  entry: CacheEntry;
}

/** The file name of a cache key: a keyed hash, so the disk does not say which profiles or roles are cached. */
export function entryFileName(key: Buffer, cacheKey: string): string {
  return `${hmac(key, `entry:${cacheKey}`)}${ENTRY_SUFFIX}`;
}

export function lockFileName(key: Buffer, lockName: string): string {
  return `${hmac(key, `lock:${lockName}`)}.lock`;
}

function hmac(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text).digest("hex").slice(0, 40);
}

/** MAGIC ‖ 12-byte IV ‖ 16-byte tag ‖ ciphertext; the file name is authenticated too, so files cannot be swapped. */
export function seal(key: Buffer, name: string, value: Sealed): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(name));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
}

/** The sealed value, or undefined for a file that fails to open (other key, tampered, truncated). */
export function open(key: Buffer, name: string, data: Buffer): Sealed | undefined {
  if (data.length < MAGIC.length + 28 || !data.subarray(0, 4).equals(MAGIC)) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(4, 16));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(data.subarray(16, 32));
    const text = Buffer.concat([decipher.update(data.subarray(32)), decipher.final()]).toString("utf8");
    const value = JSON.parse(text) as Sealed;
    if (typeof value?.key !== "string" || typeof value.entry?.expiresAt !== "string") return undefined;
    return value;
  } catch {
    return undefined;
  }
}
