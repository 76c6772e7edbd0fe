// The vault's contract: IAM users' long-term keys per profile, and other named secrets (a certificate key's
// passphrase), on any backend. Temporary sessions are not kept
// here: they live in the credentials layer's session cache (credentials/session-cache-file.ts), which a hit can
// read without a passphrase or a keyring call.

/** Where the vault keeps its items: the OS keyring, or one encrypted file. */
export type BackendName = "keyring" | "file";

/** An IAM user's long-term access key, stored by `tobira add`. */
export interface LongTermKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** ISO 8601 time the key entered the vault. */
  addedAt: string;
  /** The IAM user's name when known (rotate and GetCallerIdentity can fill it); names role sessions. */
  userName?: string;
}

export interface LongTermKeyStore {
  get(profile: string): Promise<LongTermKey | undefined>;
  set(profile: string, key: LongTermKey): Promise<void>;
  /** Resolves false when the profile had no key. */
  remove(profile: string): Promise<boolean>;
  /** Profile names, sorted. */
  list(): Promise<string[]>;
}

/** A secret kept for tobira that is not an access key: an encrypted private key's passphrase. */
export interface StoredSecret {
  secret: string;
  /** ISO 8601 time the secret entered the vault. */
  addedAt: string;
  /** What it is for, for messages and listings (never secret): "passphrase of /etc/pki/server.key". */
  label?: string;
}

/** Named secrets; names are chosen by their users (rolesanywhere: `rolesanywhere-key:<key file's SHA-256>`). */
export interface SecretStore {
  get(name: string): Promise<StoredSecret | undefined>;
  set(name: string, secret: StoredSecret): Promise<void>;
  /** Resolves false when there was no such secret. */
  remove(name: string): Promise<boolean>;
  /** Names, sorted. */
  list(): Promise<string[]>;
}

export interface Vault {
  readonly backend: BackendName;
  /** Where the items live, for messages: a file path or "keyring service 'tobira'". */
  readonly location: string;
  readonly keys: LongTermKeyStore;
  readonly secrets: SecretStore;
}
