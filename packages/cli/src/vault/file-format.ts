// The bytes of the vault file: a versioned header (authenticated as AAD) and an AES-256-GCM body.
//
// Layout, version 1 (integers are single bytes):
//   0  magic "TBRVAULT" (8)      8  format version = 1     9  KDF id = 1 (scrypt)
//  10  log2(N)  11  r  12  p     13  salt length = 32      14  salt (32)
//  46  key check (16)            62  GCM nonce (12)        74  ciphertext …   last 16: GCM tag
// The AAD is bytes 0–73, so no header field can change without the tag failing.
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from "node:crypto";
import { SCRYPT_LIMITS, type ScryptParams, type VaultKey } from "./key-derivation.js";

export const VAULT_MAGIC = Buffer.from("TBRVAULT", "ascii");
export const VAULT_FORMAT_VERSION = 1;
const KDF_SCRYPT = 1;
const SALT_LENGTH = 32;
const CHECK_LENGTH = 16;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
export const HEADER_LENGTH = 8 + 1 + 1 + 3 + 1 + SALT_LENGTH + CHECK_LENGTH + NONCE_LENGTH; // 74
/** The body is padded to a multiple of this, so the file size hints little at how many items it holds. */
const PADDING_BLOCK = 1024;

export interface VaultHeader {
  kdf: ScryptParams;
  salt: Buffer;
  check: Buffer;
}

/** Why a vault file could not be opened; the file vault turns it into a user-facing error with the path. */
export class VaultFormatProblem extends Error {
  constructor(
    readonly kind: "damaged" | "wrong-key",
    message: string,
  ) {
    super(message);
  }
}

export interface ParsedVaultFile {
  header: VaultHeader;
  aad: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function inRange(value: number, [low, high]: readonly [number, number]): boolean {
  return value >= low && value <= high;
}

/** Reads the header and splits the file; checks everything that can be checked without the key. */
export function parseVaultFile(bytes: Buffer): ParsedVaultFile {
  if (bytes.length < VAULT_MAGIC.length || !bytes.subarray(0, 8).equals(VAULT_MAGIC)) {
    throw new VaultFormatProblem("damaged", "it does not start like a tobira vault");
  }
  if (bytes.length < HEADER_LENGTH + TAG_LENGTH + 1) {
    throw new VaultFormatProblem("damaged", `it is cut short at ${bytes.length} bytes`);
  }
  const version = bytes[8]!;
  if (version !== VAULT_FORMAT_VERSION) {
    throw new VaultFormatProblem(
      "damaged",
      `unknown format version ${version}; a newer tobira may have written it`,
    );
  }
  if (bytes[9] !== KDF_SCRYPT) throw new VaultFormatProblem("damaged", `unknown key derivation ${bytes[9]}`);
  const kdf = { log2N: bytes[10]!, r: bytes[11]!, p: bytes[12]! };
  if (
    !inRange(kdf.log2N, SCRYPT_LIMITS.log2N) ||
    !inRange(kdf.r, SCRYPT_LIMITS.r) ||
    !inRange(kdf.p, SCRYPT_LIMITS.p)
  ) {
    throw new VaultFormatProblem("damaged", "its scrypt parameters are out of range");
  }
  if (bytes[13] !== SALT_LENGTH) throw new VaultFormatProblem("damaged", "its salt length is wrong");
  return {
    header: { kdf, salt: bytes.subarray(14, 46), check: bytes.subarray(46, 62) },
    aad: bytes.subarray(0, HEADER_LENGTH),
    nonce: bytes.subarray(62, HEADER_LENGTH),
    ciphertext: bytes.subarray(HEADER_LENGTH, bytes.length - TAG_LENGTH),
    tag: bytes.subarray(bytes.length - TAG_LENGTH),
  };
}

/** Decrypts the body; a check mismatch means a wrong passphrase (or altered KDF fields), a tag failure damage. */
export function openVaultBody(file: ParsedVaultFile, key: VaultKey): Buffer {
  if (!timingSafeEqual(file.header.check, key.check)) {
    throw new VaultFormatProblem("wrong-key", "the passphrase does not match");
  }
  const decipher = createDecipheriv("aes-256-gcm", key.encryptionKey, file.nonce, {
    authTagLength: TAG_LENGTH,
  });
  decipher.setAAD(file.aad);
  decipher.setAuthTag(file.tag);
  try {
    return Buffer.concat([decipher.update(file.ciphertext), decipher.final()]);
  } catch {
    throw new VaultFormatProblem(
      "damaged",
      "its contents were altered or cut short: the authentication tag fails",
    );
  }
}

/** Encrypts `plaintext` under a fresh random nonce; the header carries the KDF parameters, salt and check. */
export function sealVaultFile(plaintext: Buffer, header: VaultHeader, key: VaultKey): Buffer {
  const head = Buffer.alloc(HEADER_LENGTH);
  VAULT_MAGIC.copy(head, 0);
  head[8] = VAULT_FORMAT_VERSION;
  head[9] = KDF_SCRYPT;
  head[10] = header.kdf.log2N;
  head[11] = header.kdf.r;
  head[12] = header.kdf.p;
  head[13] = SALT_LENGTH;
  header.salt.copy(head, 14);
  key.check.copy(head, 46);
  const nonce = randomBytes(NONCE_LENGTH);
  nonce.copy(head, 62);
  const padded = Buffer.alloc(Math.ceil((plaintext.length + 1) / PADDING_BLOCK) * PADDING_BLOCK, 0x20);
  plaintext.copy(padded);
  const cipher = createCipheriv("aes-256-gcm", key.encryptionKey, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(head);
  const ciphertext = Buffer.concat([cipher.update(padded), cipher.final()]);
  return Buffer.concat([head, ciphertext, cipher.getAuthTag()]);
}

export function newSalt(): Buffer {
  return randomBytes(SALT_LENGTH);
}
