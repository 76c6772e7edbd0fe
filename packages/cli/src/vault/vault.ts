// The vault's contract: long-term keys per profile and cached temporary sessions per cache key, on any backend.

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

/** How a cached session was obtained; shown by `tobira list --sessions`. */
export type SessionKind = "session-token" | "assume-role" | "federation-token" | "credential-process";

/** Temporary credentials cached under an opaque key that the credentials layer computes. */
export interface CachedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601 expiry as STS returned it. */
  expiration: string;
  /** The profile the session was made for. */
  profile: string;
  kind: SessionKind;
  roleArn?: string;
  /** The profile whose long-term key is at the root of the chain; `remove`/`clear` of it drops this session. */
  sourceProfile?: string;
  mfaSerial?: string;
  /** ISO 8601 time the session was cached. */
  createdAt?: string;
}

/** What `list --sessions` may show: a cached session without its secrets. */
export type SessionInfo = Omit<CachedSession, "accessKeyId" | "secretAccessKey" | "sessionToken"> & {
  cacheKey: string;
};

export interface LongTermKeyStore {
  get(profile: string): Promise<LongTermKey | undefined>;
  set(profile: string, key: LongTermKey): Promise<void>;
  /** Resolves false when the profile had no key. */
  remove(profile: string): Promise<boolean>;
  /** Profile names, sorted. */
  list(): Promise<string[]>;
}

export interface SessionStore {
  get(cacheKey: string): Promise<CachedSession | undefined>;
  set(cacheKey: string, session: CachedSession): Promise<void>;
  remove(cacheKey: string): Promise<boolean>;
  /** Metadata of every cached session (expired ones included), sorted by profile then expiry. */
  list(): Promise<SessionInfo[]>;
}

export interface Vault {
  readonly backend: BackendName;
  /** Where the items live, for messages: a file path or "keyring service 'tobira'". */
  readonly location: string;
  readonly keys: LongTermKeyStore;
  readonly sessions: SessionStore;
  /** Drops cached sessions (all, or those made for or from `profile`); resolves how many were dropped. */
  clearSessions(profile?: string): Promise<number>;
}

/** True when a session belongs to `profile`: made for it, or rooted in its long-term key. */
export function sessionBelongsTo(session: Pick<CachedSession, "profile" | "sourceProfile">, profile: string) {
  return session.profile === profile || session.sourceProfile === profile;
}

/** Strips the secrets of a cached session, leaving what `list --sessions` shows. */
export function describeSession(cacheKey: string, session: CachedSession): SessionInfo {
  const { accessKeyId: _id, secretAccessKey: _secret, sessionToken: _token, ...info } = session;
  return { cacheKey, ...info };
}

/** Sort order of `sessions.list()`: by profile, then by expiry. */
export function compareSessionInfo(a: SessionInfo, b: SessionInfo): number {
  return a.profile === b.profile
    ? a.expiration.localeCompare(b.expiration)
    : a.profile.localeCompare(b.profile);
}
