// The session cache on disk: one AES-256-GCM file per entry, under a random key kept for the login session.
//
// Why not inside the vault: the file vault costs a passphrase and a memory-hard KDF (scrypt, hundreds of
// milliseconds and much memory) to open, and `credential-process` runs on every AWS CLI call; twenty at once
// would also mean twenty scrypt runs. So cached sessions live apart from the long-term keys:
// - entries: `<cache dir>/<HMAC(key, cache key)>.session` (0600, 0700 folder, written atomically); names are
//   keyed hashes, so the disk does not even say which profiles or roles are cached;
// - the key: 32 random bytes in `<runtime dir>/session-cache.key` — `$XDG_RUNTIME_DIR` is a tmpfs that is
//   emptied at logout and never reaches a disk or a backup. After logout or reboot the entries cannot be
//   read and are treated as misses (one MFA per working session, literally); a stolen disk or backup shows
//   nothing. A hit costs two small file reads and one AES-GCM open: no passphrase, no KDF, no keyring call.
// Trade-off, stated plainly: while the user is logged in, any process running as that user can read the key
// and so the *temporary* credentials (as it could read ~/.aws/cli/cache, which the AWS CLI keeps in clear, or
// the memory of a shell that ran `export`). The long-term keys stay behind the vault's passphrase/keyring.
// Without $XDG_RUNTIME_DIR (macOS, some containers) the key goes to `<tmpdir>/tobira-<uid>`, a 0700 folder we
// check is ours; the proposal for macOS is to hold this key in the Keychain instead (one keyring read per hit).
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { TobiraError } from "../errors.js";
import { isAtomicWriteTempName, writeFileAtomically } from "../files/atomic-write.js";
import type { CacheEntry, SessionCacheStore } from "./ports.js";
import { ENTRY_SUFFIX, entryFileName, KEY_FILE, lockFileName, open, seal } from "./session-cache-format.js";
import { type SessionCacheLocation, SessionCacheReader } from "./session-cache-reader.js";

/** Entries this long past their expiry are deleted when the cache is next written. */
const GARBAGE_AFTER_MS = 3600 * 1000;

export class SessionCacheError extends TobiraError {
  override name = "SessionCacheError";
}

export interface ListedSession {
  /** The cache key the entry was stored under. */
  key: string;
  entry: CacheEntry;
  file: string;
}

export class FileSessionCache implements SessionCacheStore {
  private readonly reader: SessionCacheReader;

  constructor(
    readonly location: SessionCacheLocation,
    private readonly now: () => number = Date.now,
  ) {
    this.reader = new SessionCacheReader(location);
  }

  async get(cacheKey: string): Promise<CacheEntry | undefined> {
    return this.reader.get(cacheKey);
  }

  async put(cacheKey: string, entry: CacheEntry): Promise<void> {
    const key = await this.ensureKey();
    await ensurePrivateDir(this.location.cacheDir, false);
    const name = entryFileName(key, cacheKey);
    await writeFileAtomically(join(this.location.cacheDir, name), seal(key, name, { key: cacheKey, entry }));
    await this.collectGarbage(key).catch(() => undefined);
  }

  /** The path of the lock file for a lock name; keyed like the entries, so names reveal nothing. */
  async lockPath(lockName: string): Promise<string> {
    const key = await this.ensureKey();
    await ensurePrivateDir(this.location.cacheDir, false);
    return join(this.location.cacheDir, lockFileName(key, lockName));
  }

  /** Every readable entry, expired ones included (for `tobira list --sessions`). */
  async list(): Promise<ListedSession[]> {
    const key = this.reader.readKey();
    if (!key) return [];
    const out: ListedSession[] = [];
    for (const name of await entryNames(this.location.cacheDir)) {
      const data = await fs.readFile(join(this.location.cacheDir, name)).catch(() => undefined);
      const opened = data && open(key, name, data);
      if (opened) out.push({ key: opened.key, entry: opened.entry, file: name });
    }
    return out;
  }

  /**
   * Without a profile deletes every entry (sessions, source records, remembered plans); with one, the sessions
   * made for it or from its long-term key, and its source record. Returns how many sessions went.
   */
  async clear(profile?: string): Promise<number> {
    let removed = 0;
    if (profile === undefined) {
      removed = (await this.list()).filter(({ entry }) => entry.credentials).length;
      // Unreadable entries (a key from before a logout) go too: nothing can use them any more.
      for (const name of await entryNames(this.location.cacheDir)) {
        await fs.rm(join(this.location.cacheDir, name), { force: true });
      }
      return removed;
    }
    for (const { entry, file } of await this.list()) {
      const meta = entry.meta;
      if (meta.profile === profile || meta.sourceProfile === profile || meta.forProfile === profile) {
        await fs.rm(join(this.location.cacheDir, file), { force: true });
        if (entry.credentials) removed++;
      }
    }
    return removed;
  }

  /** Deletes the readable entries `doomed` picks (given every entry, to relate one to another); returns them. */
  async forget(doomed: (all: ListedSession[]) => ListedSession[]): Promise<ListedSession[]> {
    const gone = doomed(await this.list());
    for (const { file } of gone) await fs.rm(join(this.location.cacheDir, file), { force: true });
    return gone;
  }

  private async ensureKey(): Promise<Buffer> {
    const existing = this.reader.readKey();
    if (existing) return existing;
    await ensurePrivateDir(this.location.keyDir, true);
    const path = join(this.location.keyDir, KEY_FILE);
    const fresh = randomBytes(32);
    try {
      // Exclusive create: when two processes race, one key wins and both use it.
      const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
      await writeFileAtomically(tmp, fresh);
      try {
        await fs.link(tmp, path);
      } finally {
        await fs.rm(tmp, { force: true });
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    this.reader.forgetKey();
    const key = this.reader.readKey();
    if (!key) {
      throw new SessionCacheError(`the session cache key ${path} is not 32 bytes`, {
        hint: `delete ${path}; cached sessions will be fetched again`,
      });
    }
    return key;
  }

  private async collectGarbage(key: Buffer): Promise<void> {
    const dir = this.location.cacheDir;
    for (const name of await fs.readdir(dir)) {
      const path = join(dir, name);
      if (isAtomicWriteTempName(name)) {
        const stat = await fs.stat(path).catch(() => undefined);
        if (stat && this.now() - stat.mtimeMs > 60_000) await fs.rm(path, { force: true });
        continue;
      }
      if (!name.endsWith(ENTRY_SUFFIX)) continue;
      const data = await fs.readFile(path).catch(() => undefined);
      const opened = data && open(key, name, data);
      if (!opened || Date.parse(opened.entry.expiresAt) + GARBAGE_AFTER_MS < this.now()) {
        await fs.rm(path, { force: true });
      }
    }
  }
}

async function entryNames(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((name) => name.endsWith(ENTRY_SUFFIX));
  } catch {
    return [];
  }
}

/** Creates the folder 0700; for the key folder, refuses one that another user owns or others can read. */
async function ensurePrivateDir(dir: string, mustBeOurs: boolean): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if (!mustBeOurs) return;
  const stat = await fs.lstat(dir);
  const uid = typeof process.getuid === "function" ? process.getuid() : stat.uid;
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) {
    throw new SessionCacheError(`${dir} is not a private folder of this user (owner or mode is wrong)`, {
      hint: `remove it, or point TOBIRA_RUNTIME_DIR at a folder only you can read`,
    });
  }
}
