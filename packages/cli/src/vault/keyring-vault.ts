// The OS-keyring backend: one keyring item per long-term key or stored secret under service "tobira", plus an
// index item,
// because a keyring cannot list its items without reading every secret.
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { AsyncEntry } from "@napi-rs/keyring";
import { withCrossProcessLock } from "../files/cross-process-lock.js";
import type { LongTermKeyStore, SecretStore, Vault } from "./vault.js";
import { KeyringItemDamagedError, KeyringUnavailableError, vaultLockOptions } from "./vault-errors.js";
import { readLongTermKey, readStoredSecret } from "./vault-records.js";

export const KEYRING_SERVICE = "tobira";
const INDEX_ACCOUNT = "index";
const INDEX_FORMAT = 1;

/** Keyring account names: the index, and one per key. */
export function keyAccount(profile: string): string {
  return `key:${profile}`;
}
/** Keyring account of a stored secret. */
export function secretAccount(name: string): string {
  return `secret:${name}`;
}
/** Accounts of sessions that tobira kept in the keyring before they moved to the session cache. */
function legacySessionAccount(cacheKey: string): string {
  return `session:${cacheKey}`;
}

type EntryConstructor = typeof AsyncEntry;

interface KeyringIndex {
  keys: Set<string>;
  secrets: Set<string>;
  /** Cache keys of sessions an older tobira stored here; their items are erased at the next index write. */
  legacySessions: string[];
}

export interface KeyringVaultOptions {
  /** The binding's AsyncEntry class (loaded lazily by openVault). */
  entryClass: EntryConstructor;
  /** Path whose `.lock` folder serialises index updates across processes. */
  lockTarget: string;
  service?: string | undefined;
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
  readonly secrets: SecretStore;
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
    this.secrets = {
      get: async (name) => {
        const value = await this.readItem(secretAccount(name));
        return value === undefined
          ? undefined
          : this.checked(secretAccount(name), () => readStoredSecret(value));
      },
      set: (name, secret) =>
        this.locked(async () => {
          await this.writeItem(secretAccount(name), secret);
          await this.changeIndex((index) => index.secrets.add(name));
        }),
      remove: (name) =>
        this.locked(async () => {
          const erased = await this.eraseItem(secretAccount(name));
          let listed = false;
          await this.changeIndex((index) => {
            listed = index.secrets.delete(name);
          });
          return erased || listed;
        }),
      list: async () => [...(await this.readIndex()).secrets].sort(),
    };
  }

  /** True when tobira has written to this keyring before (used to pick a default backend). */
  async hasIndex(): Promise<boolean> {
    return (await this.readItem(INDEX_ACCOUNT)) !== undefined;
  }

  async readIndex(): Promise<KeyringIndex> {
    const value = await this.readItem(INDEX_ACCOUNT);
    if (value === undefined) return { keys: new Set(), secrets: new Set(), legacySessions: [] };
    return this.checked(INDEX_ACCOUNT, () => {
      const document = value as { format?: unknown; keys?: unknown; secrets?: unknown; sessions?: unknown };
      if (document.format !== INDEX_FORMAT)
        throw new Error(`unknown index format ${String(document.format)}`);
      if (!Array.isArray(document.keys) || !document.keys.every((name) => typeof name === "string")) {
        throw new Error("its key list is not a list of names");
      }
      const legacySessions = Array.isArray(document.sessions)
        ? document.sessions
            .map((info: { cacheKey?: unknown }) => info?.cacheKey)
            .filter((cacheKey): cacheKey is string => typeof cacheKey === "string")
        : [];
      // Indexes written before secrets were kept have no `secrets` list.
      const secrets = document.secrets ?? [];
      if (!Array.isArray(secrets) || !secrets.every((name) => typeof name === "string")) {
        throw new Error("its secret list is not a list of names");
      }
      return { keys: new Set(document.keys as string[]), secrets: new Set(secrets), legacySessions };
    });
  }

  private async changeIndex(mutate: (index: KeyringIndex) => void): Promise<void> {
    const index = await this.readIndex();
    mutate(index);
    // Items first, index last: an interruption leaves listed-but-missing items, never unlisted secrets.
    for (const cacheKey of index.legacySessions) await this.eraseItem(legacySessionAccount(cacheKey));
    await this.writeItem(INDEX_ACCOUNT, {
      format: INDEX_FORMAT,
      keys: [...index.keys].sort(),
      secrets: [...index.secrets].sort(),
    });
  }

  private async locked<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(dirname(this.options.lockTarget), { recursive: true, mode: 0o700 });
    const lockPath = `${this.options.lockTarget}.lock`;
    return withCrossProcessLock(lockPath, vaultLockOptions(lockPath, this.options.lockStaleMs), () => work());
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
