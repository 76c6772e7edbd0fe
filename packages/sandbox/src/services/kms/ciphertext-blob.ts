// The sandbox's own ciphertext format. It names the key (as AWS's blobs do, so Decrypt needs no KeyId) and
// binds the encryption context as additional authenticated data, so a different context fails to open.
//
//   offset 0   4 bytes  "TBK" 0x01 (format 1)
//          4   2 bytes  length N of the key ARN (big-endian)
//          6   N bytes  key ARN (ASCII)
//        6+N  12 bytes  AES-GCM nonce
//       18+N   …        AES-256-GCM ciphertext, then its 16-byte tag
//
// AAD = bytes [0, 6+N) followed by the context: its pairs sorted by key, each key and value written as a
// 4-byte big-endian length and its UTF-8 bytes.

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const MAGIC = Buffer.from([0x54, 0x42, 0x4b, 0x01]);
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The blob is not one of ours, or its context or bytes do not match (AWS's InvalidCiphertextException). */
export class CiphertextMismatch extends Error {
  override readonly name = "CiphertextMismatch";
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

export function contextBytes(context: Record<string, string>): Buffer {
  const keys = Object.keys(context).sort();
  return Buffer.concat(keys.flatMap((key) => [lengthPrefixed(key), lengthPrefixed(context[key] ?? "")]));
}

function header(keyArn: string): Buffer {
  const arn = Buffer.from(keyArn, "ascii");
  const length = Buffer.alloc(2);
  length.writeUInt16BE(arn.length);
  return Buffer.concat([MAGIC, length, arn]);
}

export function sealBlob(
  secret: Buffer,
  keyArn: string,
  plaintext: Buffer,
  context: Record<string, string>,
): Buffer {
  const head = header(keyArn);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", secret, nonce);
  cipher.setAAD(Buffer.concat([head, contextBytes(context)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, nonce, body, cipher.getAuthTag()]);
}

/** The key ARN a blob names, without opening it; throws CiphertextMismatch when it is not one of ours. */
export function blobKeyArn(blob: Buffer): string {
  if (blob.length < MAGIC.length + 2 || !blob.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CiphertextMismatch("not a sandbox ciphertext");
  }
  const length = blob.readUInt16BE(MAGIC.length);
  const end = MAGIC.length + 2 + length;
  if (blob.length < end + NONCE_BYTES + TAG_BYTES) throw new CiphertextMismatch("truncated ciphertext");
  return blob.subarray(MAGIC.length + 2, end).toString("ascii");
}

export function openBlob(secret: Buffer, blob: Buffer, context: Record<string, string>): Buffer {
  const keyArn = blobKeyArn(blob);
  const headEnd = MAGIC.length + 2 + Buffer.byteLength(keyArn, "ascii");
  const nonce = blob.subarray(headEnd, headEnd + NONCE_BYTES);
  const tag = blob.subarray(blob.length - TAG_BYTES);
  const body = blob.subarray(headEnd + NONCE_BYTES, blob.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", secret, nonce);
  decipher.setAAD(Buffer.concat([blob.subarray(0, headEnd), contextBytes(context)]));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new CiphertextMismatch("authentication failed");
  }
}
