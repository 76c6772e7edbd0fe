// The vault's public face: open a backend, read and write long-term keys, migrate between backends.
export { FileVault, type FileVaultOptions } from "./file-vault.js";
export type { ScryptParams } from "./key-derivation.js";
export { DEFAULT_SCRYPT } from "./key-derivation.js";
export { KEYRING_SERVICE, KeyringVault } from "./keyring-vault.js";
export { type MigrationResult, migrateVault } from "./migrate-vault.js";
export {
  type OpenVaultOptions,
  openBackend,
  openFileVault,
  openKeyringVault,
  openVault,
  requestedBackend,
} from "./open-vault.js";
export { fixedPassphrase, type PassphraseSource, passphraseFromEnvironment } from "./passphrase-source.js";
export type {
  BackendName,
  LongTermKey,
  LongTermKeyStore,
  SecretStore,
  StoredSecret,
  Vault,
} from "./vault.js";
export {
  KeyringItemDamagedError,
  KeyringUnavailableError,
  VaultBusyError,
  VaultDamagedError,
  VaultPassphraseError,
  VaultPassphraseUnavailableError,
} from "./vault-errors.js";
export { vaultFilePath } from "./vault-paths.js";
