// Errors of the vault: damaged file, wrong passphrase, unreachable keyring, busy lock — each with what to do next.

import { ConfigError, TobiraError } from "../errors.js";
import type { LockOptions } from "../files/cross-process-lock.js";

/** The vault file cannot be read as a tobira vault: cut short, altered, or not ours. It is never overwritten. */
export class VaultDamagedError extends ConfigError {
  override name = "VaultDamagedError";
  constructor(path: string, reason: string, options: { cause?: unknown } = {}) {
    super(`the vault file ${path} is damaged (${reason}); it was left untouched`, {
      hint: "restore it from a backup, or move it aside and store your keys again with `tobira add`",
      ...options,
    });
  }
}

/** The passphrase does not open the vault file. GCM cannot tell this apart from a damaged header. */
export class VaultPassphraseError extends TobiraError {
  override name = "VaultPassphraseError";
  constructor(path: string) {
    super(`wrong passphrase for the vault file ${path} (or its header is damaged)`, {
      hint: "check TOBIRA_VAULT_PASSPHRASE / TOBIRA_VAULT_PASSPHRASE_FILE, or type it again",
    });
  }
}

/** No passphrase could be obtained: no variable, no file, no terminal. */
export class VaultPassphraseUnavailableError extends TobiraError {
  override name = "VaultPassphraseUnavailableError";
}

/** The OS keyring (Secret Service, Keychain, Credential Manager) did not answer or refused. */
export class KeyringUnavailableError extends TobiraError {
  override name = "KeyringUnavailableError";
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(`the OS keyring is not available: ${reason}`, {
      hint: "start or unlock your keyring (Secret Service, Keychain), or use the encrypted file: --backend file",
      ...options,
    });
  }
}

/** A keyring item holds something tobira did not write. */
export class KeyringItemDamagedError extends ConfigError {
  override name = "KeyringItemDamagedError";
  constructor(account: string, reason: string) {
    super(`the keyring item '${account}' of service 'tobira' is damaged (${reason})`, {
      hint: "remove it with your keyring's tool (for example `secret-tool clear service tobira`) and add the key again",
    });
  }
}

/** Another tobira held the vault's lock for too long. */
/** How the vault waits for its lock (`${target}.lock`): backing off for about half a minute, then VaultBusyError. */
export function vaultLockOptions(lockPath: string, staleMs = 10_000): LockOptions {
  return { staleMs, wait: { kind: "backoff", onBusy: (cause) => new VaultBusyError(lockPath, { cause }) } };
}

export class VaultBusyError extends TobiraError {
  override name = "VaultBusyError";
  constructor(lockPath: string, options: { cause?: unknown } = {}) {
    super(`another tobira is writing the vault (lock ${lockPath})`, {
      hint: `try again; if no other tobira runs, remove the folder ${lockPath}`,
      ...options,
    });
  }
}
