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
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { TobiraError } from "../errors.js";
import { isAtomicWriteTempName, writeFileAtomically } from "../files/atomic-write.js";
import type { CacheEntry, SessionCacheStore } from "./ports.js";

const MAGIC = Buffer.from("TBS1");
const KEY_FILE = "session-cache.key";
const ENTRY_SUFFIX = ".session";
/** Entries this long past their expiry are deleted when the cache is next written. */
const GARBAGE_AFTER_MS = 3600 * 1000;

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
  private key: Buffer | undefined;

  constructor(
    readonly location: SessionCacheLocation,
    private readonly now: () => number = Date.now,
  ) {}

  async get(cacheKey: string): Promise<CacheEntry | undefined> {
    const key = await this.readKey();
    if (!key) return undefined;
    const name = this.fileName(key, cacheKey);
    let data: Buffer;
    try {
      data = await fs.readFile(join(this.location.cacheDir, name));
    } catch {
      return undefined;
    }
    const opened = open(key, name, data);
    // A file that fails to open (other key, tampered, truncated) is a miss; the next write replaces it.
    if (!opened || opened.key !== cacheKey) return undefined;
    return opened.entry;
  }

  async put(cacheKey: string, entry: CacheEntry): Promise<void> {
    const key = await this.ensureKey();
    await ensurePrivateDir(this.location.cacheDir, false);
    const name = this.fileName(key, cacheKey);
    await writeFileAtomically(join(this.location.cacheDir, name), seal(key, name, { key: cacheKey, entry }));
    await this.collectGarbage(key).catch(() => undefined);
  }

  /** The path of the lock file for a lock name; keyed like the entries, so names reveal nothing. */
  async lockPath(lockName: string): Promise<string> {
    const key = await this.ensureKey();
    await ensurePrivateDir(this.location.cacheDir, false);
    return join(this.location.cacheDir, `${hmac(key, `lock:${lockName}`)}.lock`);
  }

  /** Every readable entry, expired ones included (for `tobira list --sessions`). */
  async list(): Promise<ListedSession[]> {
    const key = await this.readKey();
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

  private fileName(key: Buffer, cacheKey: string): string {
    return `${hmac(key, `entry:${cacheKey}`)}${ENTRY_SUFFIX}`;
  }

  private async readKey(): Promise<Buffer | undefined> {
    if (this.key) return this.key;
    try {
      const key = await fs.readFile(join(this.location.keyDir, KEY_FILE));
      if (key.length !== 32) return undefined;
      this.key = key;
      return key;
    } catch {
      return undefined;
    }
  }

  private async ensureKey(): Promise<Buffer> {
    const existing = await this.readKey();
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
    this.key = undefined;
    const key = await this.readKey();
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

function hmac(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text).digest("hex").slice(0, 40);
}

interface Sealed {
  key: string;
  entry: CacheEntry;
}

/** MAGIC ‖ 12-byte IV ‖ 16-byte tag ‖ ciphertext; the file name is authenticated too, so files cannot be swapped. */
function seal(key: Buffer, name: string, value: Sealed): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(name));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
}

function open(key: Buffer, name: string, data: Buffer): Sealed | undefined {
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
