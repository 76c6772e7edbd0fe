// The small interfaces credentials/ needs from the vault, the MFA drivers and the session cache, and the
// credential shapes that flow between them. Logic here depends on these, never on those parts' internals.

/** AWS credentials as the STS calls and the outputs use them. Long-term keys have no token or expiry. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** ISO-8601; absent for long-term keys. */
  expiration?: string;
}

/** Credentials from STS: always a token and an expiry. */
export interface TemporaryCredentials extends AwsCredentials {
  sessionToken: string;
  expiration: string;
}

/** Where long-term IAM user keys live (the vault). `get` may prompt for a passphrase, so call it only on a miss. */
export interface LongTermKeyStore {
  get(profile: string): Promise<AwsCredentials | undefined>;
}

/**
 * One entry of the session cache. `credentials` is absent for the source records that remember which access
 * key and which IAM user a profile's long-term keys belong to. `meta` is non-secret and shown by
 * `tobira list --sessions`.
 */
export interface CacheEntry {
  /** ISO-8601; the entry is ignored after this instant. */
  expiresAt: string;
  credentials?: TemporaryCredentials;
  meta: Record<string, string>;
}

/** The cached-sessions namespace: opaque key → entry. Implementations must write atomically. */
export interface SessionCacheStore {
  get(key: string): Promise<CacheEntry | undefined>;
  put(key: string, entry: CacheEntry): Promise<void>;
}

/** A cross-process mutual exclusion per name, held around "check cache → prompt → STS call → store". */
export interface CacheLock {
  withLock<T>(name: string, onWait: () => void, run: () => Promise<T>): Promise<T>;
}

/** Which MFA device a call needs a code from, and for which profile (the prompt names both). */
export interface MfaNeed {
  profile: string;
  serial: string;
}

/**
 * Runs an STS call that needs a code: gets a code (--mfa-code, mfa_process, the terminal, ykman) and asks
 * again when AWS refuses it. mfa/'s `createMfaSource` + `withMfaRetry` implement it.
 */
export type MfaRunner = <T>(need: MfaNeed, call: (code: string) => Promise<T>) => Promise<T>;
