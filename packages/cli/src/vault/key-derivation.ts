// Turns a passphrase into the vault's AES key with scrypt, and remembers derived keys for this process only.
import { createHash, scrypt } from "node:crypto";

/** scrypt cost: N = 2^log2N, block size r, parallelism p. */
export interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
}

/** OWASP's password-storage guidance (2023–): scrypt with N=2^17, r=8, p=1 when Argon2id is not at hand
 *  (node:crypto on Node 20 has no Argon2). 128 MiB and about a third of a second per unlock. */
export const DEFAULT_SCRYPT: ScryptParams = { log2N: 17, r: 8, p: 1 };

/** Bounds for parameters read from a file header: enough to refuse nonsense that would exhaust memory. */
export const SCRYPT_LIMITS = { log2N: [10, 20], r: [1, 32], p: [1, 16] } as const;

export interface VaultKey {
  /** AES-256-GCM key. */
  encryptionKey: Buffer;
  /** 16 bytes stored in the header that tell a wrong passphrase apart from a damaged body. */
  check: Buffer;
}

/** Derives 64 bytes: the first half is the AES key, the hash of the second half is the stored check value.
 *  The check value reveals nothing an attacker could not already test by trying to decrypt. */
export async function deriveVaultKey(
  passphrase: string,
  salt: Buffer,
  params: ScryptParams,
): Promise<VaultKey> {
  const N = 2 ** params.log2N;
  const derived = await new Promise<Buffer>((resolve, reject) => {
    // The same typed passphrase must give the same bytes on every system, so normalise it first.
    scrypt(
      Buffer.from(passphrase.normalize("NFC"), "utf8"),
      salt,
      64,
      { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * (params.p + 1) + 16 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
  const check = createHash("sha256").update("tobira vault key check\0").update(derived.subarray(32)).digest();
  return { encryptionKey: derived.subarray(0, 32), check: check.subarray(0, 16) };
}

// Keys derived in this process, by file and salt: one passphrase prompt and one scrypt run per process.
const derivedKeys = new Map<string, VaultKey>();

function cacheId(path: string, salt: Buffer, params: ScryptParams): string {
  return `${path}\0${salt.toString("hex")}\0${params.log2N}/${params.r}/${params.p}`;
}

export function rememberedKey(path: string, salt: Buffer, params: ScryptParams): VaultKey | undefined {
  return derivedKeys.get(cacheId(path, salt, params));
}

export function rememberKey(path: string, salt: Buffer, params: ScryptParams, key: VaultKey): void {
  derivedKeys.set(cacheId(path, salt, params), key);
}

/** Forgets every derived key (tests, and after a passphrase change). */
export function forgetDerivedKeys(): void {
  derivedKeys.clear();
}
