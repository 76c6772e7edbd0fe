// The vault's contract: IAM users' long-term keys per profile, on any backend. Temporary sessions are not kept
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

export interface Vault {
  readonly backend: BackendName;
  /** Where the items live, for messages: a file path or "keyring service 'tobira'". */
  readonly location: string;
  readonly keys: LongTermKeyStore;
}
