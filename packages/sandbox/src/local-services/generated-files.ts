// The files the sandbox's HTTP service serves: pseudo-random bytes of a known size generated from each
// file's name, so every sandbox (and every run) serves the same bytes with the same sha256, streamed in
// chunks rather than held in memory.

import { createCipheriv, createHash } from "node:crypto";
import { Readable } from "node:stream";

export interface GeneratedFile {
  /** File name under /files/. */
  name: string;
  size: number;
}

const KIB = 1024;
const MIB = 1024 * KIB;

/** What /files/ holds. 64 MiB is for the CLI-level download test; the small ones for unit tests. */
export const GENERATED_FILES: readonly GeneratedFile[] = [
  { name: "64KiB.bin", size: 64 * KIB },
  { name: "1MiB.bin", size: MIB },
  { name: "16MiB.bin", size: 16 * MIB },
  { name: "64MiB.bin", size: 64 * MIB },
];

/** Bytes produced per chunk while streaming. */
const CHUNK_BYTES = 64 * KIB;
const ZEROS = Buffer.alloc(CHUNK_BYTES);

/**
 * The file's bytes: the AES-256-CTR keystream (key = sha256 of "tobira-sandbox-file:" + name, counter from
 * zero). A fast, well-defined generator whose output anyone can reproduce with OpenSSL.
 */
function keystream(name: string) {
  const key = createHash("sha256").update(`tobira-sandbox-file:${name}`).digest();
  return createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
}

export function findGeneratedFile(name: string): GeneratedFile | undefined {
  return GENERATED_FILES.find((f) => f.name === name);
}

/** The file's bytes as a stream that produces a chunk only when the reader asks for one. */
export function generatedFileStream(file: GeneratedFile): Readable {
  const cipher = keystream(file.name);
  let left = file.size;
  return new Readable({
    highWaterMark: CHUNK_BYTES,
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const n = Math.min(left, CHUNK_BYTES);
      left -= n;
      this.push(cipher.update(n === CHUNK_BYTES ? ZEROS : ZEROS.subarray(0, n)));
    },
  });
}

const digests = new Map<string, Promise<string>>();

/** sha256 (hex) of the file, computed once per process on first use (64 MiB takes a fraction of a second). */
export function generatedFileSha256(file: GeneratedFile): Promise<string> {
  let digest = digests.get(file.name);
  if (digest === undefined) {
    digest = (async () => {
      const hash = createHash("sha256");
      for await (const chunk of generatedFileStream(file)) hash.update(chunk as Buffer);
      return hash.digest("hex");
    })();
    digests.set(file.name, digest);
  }
  return digest;
}
