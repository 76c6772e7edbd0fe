// The OS-keyring backend: one keyring item per key or session under service "tobira", plus an index item,
// because a keyring cannot list its items without reading every secret.
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { AsyncEntry } from "@napi-rs/keyring";
import { withCrossProcessLock } from "./cross-process-lock.js";
import type { LongTermKeyStore, SessionInfo, SessionStore, Vault } from "./vault.js";
import { compareSessionInfo, describeSession, sessionBelongsTo } from "./vault.js";
import { KeyringItemDamagedError, KeyringUnavailableError } from "./vault-errors.js";
import { readCachedSession, readLongTermKey } from "./vault-records.js";

export const KEYRING_SERVICE = "tobira";
const INDEX_ACCOUNT = "index";
const INDEX_FORMAT = 1;

/** Keyring account names: the index, and one per key and per session. */
export function keyAccount(profile: string): string {
  return `key:${profile}`;
}
export function sessionAccount(cacheKey: string): string {
  return `session:${cacheKey}`;
}

type EntryConstructor = typeof AsyncEntry;

interface KeyringIndex {
  keys: Set<string>;
  sessions: Map<string, SessionInfo>;
}

export interface KeyringVaultOptions {
  /** The binding's AsyncEntry class (loaded lazily by openVault). */
  entryClass: EntryConstructor;
  /** Path whose `.lock` folder serialises index updates across processes. */
  lockTarget: string;
  service?: string;
  lockStaleMs?: number;
}

function describeBindingError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

export class KeyringVault implements Vault {
  readonly backend = "keyring" as const;
  readonly location: string;
  readonly keys: LongTermKeyStore;
  readonly sessions: SessionStore;
  private readonly service: string;

  constructor(private readonly options: KeyringVaultOptions) {
    this.service = options.service ?? KEYRING_SERVICE;
    this.location = `keyring service '${this.service}'`;
    this.keys = {
      get: async (profile) => {
        const value = await this.readItem(keyAccount(profile));
        return value === undefined
          ? undefined
          : this.checked(keyAccount(profile), () => readLongTermKey(value));
      },
      set: (profile, key) =>
        this.locked(async () => {
          await this.writeItem(keyAccount(profile), key);
          await this.changeIndex((index) => index.keys.add(profile));
        }),
      remove: (profile) =>
        this.locked(async () => {
          const erased = await this.eraseItem(keyAccount(profile));
          let listed = false;
          await this.changeIndex((index) => {
            listed = index.keys.delete(profile);
          });
          return erased || listed;
        }),
      list: async () => [...(await this.readIndex()).keys].sort(),
    };
    this.sessions = {
      get: async (cacheKey) => {
        const value = await this.readItem(sessionAccount(cacheKey));
        return value === undefined
          ? undefined
          : this.checked(sessionAccount(cacheKey), () => readCachedSession(value));
      },
      set: (cacheKey, session) =>
        this.locked(async () => {
          await this.writeItem(sessionAccount(cacheKey), session);
          await this.changeIndex((index) => index.sessions.set(cacheKey, describeSession(cacheKey, session)));
        }),
      remove: (cacheKey) =>
        this.locked(async () => {
          const erased = await this.eraseItem(sessionAccount(cacheKey));
          let listed = false;
          await this.changeIndex((index) => {
            listed = index.sessions.delete(cacheKey);
          });
          return erased || listed;
        }),
      list: async () => [...(await this.readIndex()).sessions.values()].sort(compareSessionInfo),
    };
  }

  async clearSessions(profile?: string): Promise<number> {
    return this.locked(async () => {
      const index = await this.readIndex();
      const doomed = [...index.sessions.values()].filter(
        (info) => profile === undefined || sessionBelongsTo(info, profile),
      );
      // Items first, index last: an interruption leaves listed-but-missing entries, never unlisted secrets.
      for (const info of doomed) await this.eraseItem(sessionAccount(info.cacheKey));
      if (doomed.length > 0) {
        await this.changeIndex((current) => {
          for (const info of doomed) current.sessions.delete(info.cacheKey);
        });
      }
      return doomed.length;
    });
  }

  /** True when tobira has written to this keyring before (used to pick a default backend). */
  async hasIndex(): Promise<boolean> {
    return (await this.readItem(INDEX_ACCOUNT)) !== undefined;
  }

  async readIndex(): Promise<KeyringIndex> {
    const value = await this.readItem(INDEX_ACCOUNT);
    if (value === undefined) return { keys: new Set(), sessions: new Map() };
    return this.checked(INDEX_ACCOUNT, () => {
      const document = value as { format?: unknown; keys?: unknown; sessions?: unknown };
      if (document.format !== INDEX_FORMAT)
        throw new Error(`unknown index format ${String(document.format)}`);
      if (!Array.isArray(document.keys) || !document.keys.every((name) => typeof name === "string")) {
        throw new Error("its key list is not a list of names");
      }
      if (!Array.isArray(document.sessions)) throw new Error("its session list is not a list");
      const sessions = new Map<string, SessionInfo>();
      for (const info of document.sessions as SessionInfo[]) {
        if (typeof info?.cacheKey !== "string" || typeof info.profile !== "string") {
          throw new Error("a session entry has no cache key or profile");
        }
        sessions.set(info.cacheKey, info);
      }
      return { keys: new Set(document.keys as string[]), sessions };
    });
  }

  private async changeIndex(mutate: (index: KeyringIndex) => void): Promise<void> {
    const index = await this.readIndex();
    mutate(index);
    await this.writeItem(INDEX_ACCOUNT, {
      format: INDEX_FORMAT,
      keys: [...index.keys].sort(),
      sessions: [...index.sessions.values()],
    });
  }

  private async locked<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(dirname(this.options.lockTarget), { recursive: true, mode: 0o700 });
    return withCrossProcessLock(this.options.lockTarget, () => work(), { staleMs: this.options.lockStaleMs });
  }

  private checked<T>(account: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw new KeyringItemDamagedError(account, (error as Error).message);
    }
  }

  private entry(account: string): AsyncEntry {
    // On Linux, insist on the Secret Service: the binding would otherwise fall back silently to the kernel
    // keyring, which forgets everything at reboot.
    const options =
      process.platform === "linux" ? { linux: { store: "secret-service" as const } } : undefined;
    try {
      return new this.options.entryClass(this.service, account, options);
    } catch (error) {
      throw new KeyringUnavailableError(describeBindingError(error), { cause: error });
    }
  }

  private async readItem(account: string): Promise<unknown> {
    let bytes: number[] | null;
    try {
      bytes = await this.entry(account).getSecret();
    } catch (error) {
      if (error instanceof KeyringUnavailableError) throw error;
      throw new KeyringUnavailableError(describeBindingError(error), { cause: error });
    }
    if (bytes === null) return undefined;
    try {
      return JSON.parse(Buffer.from(bytes).toString("utf8"));
    } catch {
      // Never quote the parser: its message would show part of the secret.
      throw new KeyringItemDamagedError(account, "it is not JSON");
    }
  }

  /** Stores bytes, not a password string: Windows keeps passwords as UTF-16 and would halve the room. */
  private async writeItem(account: string, value: unknown): Promise<void> {
    const entry = this.entry(account);
    try {
      await entry.setSecret(Buffer.from(JSON.stringify(value), "utf8"));
    } catch (error) {
      throw new KeyringUnavailableError(describeBindingError(error), { cause: error });
    }
  }

  private async eraseItem(account: string): Promise<boolean> {
    const entry = this.entry(account);
    try {
      return await entry.deleteCredential();
    } catch (error) {
      throw new KeyringUnavailableError(describeBindingError(error), { cause: error });
    }
  }
}
