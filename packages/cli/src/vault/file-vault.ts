// The encrypted-file backend: every long-term key and stored secret, names included, sealed in one AES-256-GCM
// file.
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { removeLeftoverTempFiles, writeFileAtomically } from "../files/atomic-write.js";
import { withCrossProcessLock } from "../files/cross-process-lock.js";
import {
  newSalt,
  openVaultBody,
  parseVaultFile,
  sealVaultFile,
  VaultFormatProblem,
  type VaultHeader,
} from "./file-format.js";
import {
  DEFAULT_SCRYPT,
  deriveVaultKey,
  rememberedKey,
  rememberKey,
  type ScryptParams,
  type VaultKey,
} from "./key-derivation.js";
import type { PassphraseSource } from "./passphrase-source.js";
import type { LongTermKey, LongTermKeyStore, SecretStore, StoredSecret, Vault } from "./vault.js";
import { VaultDamagedError, VaultPassphraseError, vaultLockOptions } from "./vault-errors.js";
import { readItemMap, readLongTermKey, readStoredSecret } from "./vault-records.js";

export interface FileVaultOptions {
  path: string;
  passphrase: PassphraseSource;
  /** scrypt cost of a NEW file (tests pass a cheap one); an existing file keeps the cost in its header. */
  kdf?: ScryptParams | undefined;
  /** Make the file's folder 0700 even if it existed before (true for tobira's own data folder). */
  enforceFolderMode?: boolean;
  /** Age after which a lock left by a dead process is taken over. */
  lockStaleMs?: number;
}

interface Contents {
  keys: Map<string, LongTermKey>;
  secrets: Map<string, StoredSecret>;
}

/** What was read from disk: the items, and the header and key to write them back with (absent: no file yet). */
interface Snapshot {
  contents: Contents;
  sealing?: { header: VaultHeader; key: VaultKey };
}

const CONTENTS_FORMAT = 1;

/** Test hook: when set to a path, a writer creates that file and stops between fsync and rename, so a test can
 *  kill it there. Never set in normal use. */
const PAUSE_HOOK = "TOBIRA_TEST_PAUSE_BEFORE_VAULT_RENAME";

function encodeContents(contents: Contents): Buffer {
  const document = {
    format: CONTENTS_FORMAT,
    keys: Object.fromEntries(contents.keys),
    secrets: Object.fromEntries(contents.secrets),
  };
  return Buffer.from(JSON.stringify(document), "utf8");
}

function decodeContents(body: Buffer): Contents {
  // Files written before sessions moved to the session cache also hold a `sessions` object: it is ignored
  // (temporary credentials, long expired by now) and gone after the next write.
  // Files written before secrets were kept have no `secrets`: none.
  const document = JSON.parse(body.toString("utf8")) as {
    format?: unknown;
    keys?: unknown;
    secrets?: unknown;
  };
  if (document.format !== CONTENTS_FORMAT)
    throw new Error(`unknown contents format ${String(document.format)}`);
  return {
    keys: readItemMap(document.keys, "keys", readLongTermKey),
    secrets:
      document.secrets === undefined ? new Map() : readItemMap(document.secrets, "secrets", readStoredSecret),
  };
}

export class FileVault implements Vault {
  readonly backend = "file" as const;
  readonly location: string;
  readonly keys: LongTermKeyStore;
  readonly secrets: SecretStore;
  /** A key made for a file that does not exist yet, so the passphrase is asked before the lock is taken. */
  private newFileSealing: { header: VaultHeader; key: VaultKey } | undefined;

  constructor(private readonly options: FileVaultOptions) {
    this.location = options.path;
    this.keys = {
      get: async (profile) => (await this.load()).contents.keys.get(profile),
      set: (profile, key) =>
        this.update((contents) => {
          contents.keys.set(profile, key);
          return true;
        }).then(() => undefined),
      remove: (profile) => this.update((contents) => contents.keys.delete(profile)),
      list: async () => [...(await this.load()).contents.keys.keys()].sort(),
    };
    this.secrets = {
      get: async (name) => (await this.load()).contents.secrets.get(name),
      set: (name, secret) =>
        this.update((contents) => {
          contents.secrets.set(name, secret);
          return true;
        }).then(() => undefined),
      remove: (name) => this.update((contents) => contents.secrets.delete(name)),
      list: async () => [...(await this.load()).contents.secrets.keys()].sort(),
    };
  }

  /** Reads and decrypts the whole file, without the lock: renames are atomic, so a reader sees one version. */
  private async load(): Promise<Snapshot> {
    const path = this.options.path;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        return { contents: { keys: new Map(), secrets: new Map() } };
      throw error;
    }
    const damaged = (error: unknown) =>
      error instanceof VaultFormatProblem && error.kind === "wrong-key"
        ? new VaultPassphraseError(path)
        : new VaultDamagedError(path, error instanceof VaultFormatProblem ? error.message : String(error));
    let file: ReturnType<typeof parseVaultFile>;
    try {
      file = parseVaultFile(bytes);
    } catch (error) {
      throw damaged(error);
    }
    const key = await this.unlock(file.header);
    let body: Buffer;
    try {
      body = openVaultBody(file, key);
    } catch (error) {
      throw damaged(error);
    }
    try {
      return { contents: decodeContents(body), sealing: { header: file.header, key } };
    } catch (error) {
      // Never quote a JSON parser's message: it would show a piece of the decrypted secrets.
      const reason = error instanceof SyntaxError ? "not JSON" : (error as Error).message;
      throw new VaultDamagedError(path, `its decrypted contents are not a vault's: ${reason}`);
    }
  }

  /** The key for a file header: remembered from earlier in this process, or derived from the passphrase.
   *  A person at a terminal gets three tries; a passphrase from the environment gets one. */
  private async unlock(header: VaultHeader): Promise<VaultKey> {
    const path = this.options.path;
    const remembered = rememberedKey(path, header.salt, header.kdf);
    if (remembered) return remembered;
    const tries = this.options.passphrase.interactive ? 3 : 1;
    for (let attempt = 1; attempt <= tries; attempt++) {
      const passphrase = await this.options.passphrase.obtain(path, "unlock");
      const key = await deriveVaultKey(passphrase, header.salt, header.kdf);
      if (key.check.equals(header.check)) {
        rememberKey(path, header.salt, header.kdf, key);
        return key;
      }
    }
    throw new VaultPassphraseError(path);
  }

  private async sealingForNewFile(): Promise<{ header: VaultHeader; key: VaultKey }> {
    if (!this.newFileSealing) {
      const kdf = this.options.kdf ?? DEFAULT_SCRYPT;
      const salt = newSalt();
      const passphrase = await this.options.passphrase.obtain(this.options.path, "create");
      const key = await deriveVaultKey(passphrase, salt, kdf);
      rememberKey(this.options.path, salt, kdf, key);
      this.newFileSealing = { header: { kdf, salt, check: key.check }, key };
    }
    return this.newFileSealing;
  }

  private async ensureFolder(): Promise<void> {
    const folder = dirname(this.options.path);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    if (this.options.enforceFolderMode) await chmod(folder, 0o700);
  }

  /** Read-modify-write under the cross-process lock; `mutate` returns whether anything changed. A file that
   *  cannot be read (damaged, wrong passphrase) stops here, before anything is written. */
  private async update(mutate: (contents: Contents) => boolean): Promise<boolean> {
    await this.ensureFolder();
    // Unlock (or ask for a new passphrase) before locking, so a prompt never holds other writers up.
    const before = await this.load();
    if (!before.sealing) await this.sealingForNewFile();
    const lockPath = `${this.options.path}.lock`;
    return withCrossProcessLock(
      lockPath,
      vaultLockOptions(lockPath, this.options.lockStaleMs),
      async (assertHeld) => {
        const snapshot = await this.load();
        if (!mutate(snapshot.contents)) return false;
        const sealing = snapshot.sealing ?? (await this.sealingForNewFile());
        const bytes = sealVaultFile(encodeContents(snapshot.contents), sealing.header, sealing.key);
        await removeLeftoverTempFiles(this.options.path);
        await writeFileAtomically(this.options.path, bytes, {
          mode: 0o600,
          beforeRename: async () => {
            await pauseForCrashTest();
            assertHeld();
          },
        });
        return true;
      },
    );
  }
}

async function pauseForCrashTest(): Promise<void> {
  const marker = process.env[PAUSE_HOOK];
  if (!marker) return;
  await writeFile(marker, String(process.pid));
  await new Promise<never>(() => {
    setInterval(() => undefined, 60_000);
  });
}
