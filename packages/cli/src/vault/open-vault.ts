// Opens the vault the user asked for (--backend / TOBIRA_BACKEND), or by default the keyring when one answers,
// else the encrypted file, saying so in one line.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { FileVault } from "./file-vault.js";
import type { ScryptParams } from "./key-derivation.js";
import { probeKeyringTransport, sessionBusAddress } from "./keyring-probe.js";
import { KeyringVault } from "./keyring-vault.js";
import { type PassphraseSource, passphraseFromEnvironment } from "./passphrase-source.js";
import type { BackendName, Vault } from "./vault.js";
import { KeyringUnavailableError } from "./vault-errors.js";
import { dataFolder, vaultFilePath } from "./vault-paths.js";

export interface OpenVaultOptions {
  /** "keyring", "file", or undefined/"auto" for the default choice. Overrides TOBIRA_BACKEND. */
  backend?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Where the one-line fallback notice goes. */
  stderr?: { write(text: string): unknown };
  /** Defaults to TOBIRA_VAULT_PASSPHRASE, TOBIRA_VAULT_PASSPHRASE_FILE, then the terminal. */
  passphrase?: PassphraseSource;
  /** scrypt cost of a new vault file (tests use a cheap one). */
  kdf?: ScryptParams;
  /** How long to wait for the D-Bus session bus before giving up on the keyring. */
  probeTimeoutMs?: number;
  /** Keyring service name; "tobira" unless a test keeps its items apart. */
  keyringService?: string | undefined;
}

const BACKENDS: readonly BackendName[] = ["keyring", "file"];

/** Reads the requested backend from the option or TOBIRA_BACKEND; undefined means "choose". */
export function requestedBackend(
  option: string | undefined,
  env: NodeJS.ProcessEnv,
): BackendName | undefined {
  const fromOption = option !== undefined && option !== "";
  const value = fromOption ? option : env.TOBIRA_BACKEND;
  if (value === undefined || value === "" || value === "auto") return undefined;
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new UsageError(`unknown vault backend '${value}'${fromOption ? "" : " in TOBIRA_BACKEND"}`, {
    hint: "use keyring, file or auto",
  });
}

export function openFileVault(options: OpenVaultOptions = {}): FileVault {
  const env = options.env ?? process.env;
  const path = vaultFilePath(env);
  return new FileVault({
    path,
    passphrase: options.passphrase ?? passphraseFromEnvironment(env),
    kdf: options.kdf,
    enforceFolderMode: !env.TOBIRA_VAULT_FILE,
  });
}

/** Opens the OS keyring and reads tobira's index once, so an unreachable or locked keyring fails here, clearly. */
export async function openKeyringVault(options: OpenVaultOptions = {}): Promise<KeyringVault> {
  const env = options.env ?? process.env;
  const probe = await probeKeyringTransport(env, { timeoutMs: options.probeTimeoutMs });
  if (!probe.ok) throw new KeyringUnavailableError(probe.reason);
  // The binding reads the real environment; hand it the systemd user bus if that is what the probe found.
  const address = sessionBusAddress(env);
  if (address && !process.env.DBUS_SESSION_BUS_ADDRESS) process.env.DBUS_SESSION_BUS_ADDRESS = address;
  let binding: typeof import("@napi-rs/keyring");
  try {
    binding = await import("@napi-rs/keyring");
  } catch (error) {
    throw new KeyringUnavailableError(
      "the keyring binding (@napi-rs/keyring) does not load on this platform",
      {
        cause: error,
      },
    );
  }
  const vault = new KeyringVault({
    entryClass: binding.AsyncEntry,
    lockTarget: join(dataFolder(env), "keyring"),
    service: options.keyringService,
  });
  await vault.readIndex();
  return vault;
}

/** Opens a backend by name; the keyring fails with KeyringUnavailableError rather than falling back. */
export async function openBackend(name: BackendName, options: OpenVaultOptions = {}): Promise<Vault> {
  return name === "file" ? openFileVault(options) : openKeyringVault(options);
}

/**
 * The vault for this command. With no backend asked for: the keyring when it answers and already holds tobira's
 * items or no vault file exists; the vault file when one exists and the keyring is empty (so keys added while no
 * keyring answered stay found); and the file, with a one-line notice, when no keyring answers.
 */
export async function openVault(options: OpenVaultOptions = {}): Promise<Vault> {
  const env = options.env ?? process.env;
  const requested = requestedBackend(options.backend, env);
  if (requested) return openBackend(requested, options);
  let keyring: KeyringVault;
  try {
    keyring = await openKeyringVault(options);
  } catch (error) {
    if (!(error instanceof KeyringUnavailableError)) throw error;
    const file = openFileVault(options);
    const reason = error.message.replace(/^the OS keyring is not available: /, "");
    (options.stderr ?? process.stderr).write(
      `tobira: no OS keyring answered (${reason}); using the encrypted file ${file.location}\n`,
    );
    return file;
  }
  if (!(await keyring.hasIndex()) && existsSync(vaultFilePath(env))) return openFileVault(options);
  return keyring;
}
