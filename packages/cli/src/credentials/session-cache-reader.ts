// Reading the session cache, synchronously: where it is, its key, one entry.
//
// Synchronous on purpose: the credential-process fast path reads three small files and nothing else, and a
// blocking read of a few hundred bytes costs less than a trip through libuv's thread pool (and loads no
// fs/promises). The store (session-cache-file.ts) reads through this too, so there is one reader.
import { readFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { CacheEntry } from "./ports.js";
import { entryFileName, KEY_FILE, open } from "./session-cache-format.js";

export interface SessionCacheLocation {
  /** Where the encrypted entries and the lock files live. */
  cacheDir: string;
  /** Where the key lives; should be a tmpfs emptied at logout. */
  keyDir: string;
}

/** TOBIRA_CACHE_DIR / TOBIRA_RUNTIME_DIR override the XDG defaults (tests and unusual setups). */
export function defaultSessionCacheLocation(env: NodeJS.ProcessEnv = process.env): SessionCacheLocation {
  const cacheDir =
    env.TOBIRA_CACHE_DIR ?? join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "tobira", "sessions");
  const uid = typeof process.getuid === "function" ? process.getuid() : "user";
  const keyDir =
    env.TOBIRA_RUNTIME_DIR ??
    (env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, "tobira") : join(tmpdir(), `tobira-${uid}`));
  return { cacheDir, keyDir };
}

export class SessionCacheReader {
  private key: Buffer | undefined;

  constructor(readonly location: SessionCacheLocation) {}

  /** The cache key, read once. A missing or malformed key is not remembered, so one made later is seen. */
  readKey(): Buffer | undefined {
    if (this.key) return this.key;
    try {
      const key = readFileSync(join(this.location.keyDir, KEY_FILE));
      if (key.length !== 32) return undefined;
      this.key = key;
      return key;
    } catch {
      return undefined;
    }
  }

  /** Forgets the key read, after the store replaced it. */
  forgetKey(): void {
    this.key = undefined;
  }

  /** The entry stored under `cacheKey`; undefined when absent or unreadable (a miss either way). */
  get(cacheKey: string): CacheEntry | undefined {
    const key = this.readKey();
    if (!key) return undefined;
    const name = entryFileName(key, cacheKey);
    let data: Buffer;
    try {
      data = readFileSync(join(this.location.cacheDir, name));
    } catch {
      return undefined;
    }
    const opened = open(key, name, data);
    // A file that fails to open (other key, tampered, truncated) is a miss; the next write replaces it.
    if (!opened || opened.key !== cacheKey) return undefined;
    return opened.entry;
  }
}
