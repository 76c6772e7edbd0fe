// The credentials folder's public face: a profile's temporary credentials (cached, one MFA per working
// session) and the session cache for `list --sessions` / `clear`. The outputs built on them live in outputs/.
// Nothing here loads the AWS SDK, the vault or the MFA drivers at import time.

export type { ChainOptions, CredentialChainSpec, GivenOrigin, RoleHop, SourceSpec } from "./chain-spec.js";
export {
  CredentialLockTimeoutError,
  CredentialSettingError,
  MissingLongTermKeysError,
  StsCallError,
} from "./errors.js";
export {
  type AssumeRoleStep,
  type CredentialPlan,
  type CredentialStep,
  planCredentials,
  type SessionTokenStep,
} from "./plan.js";
export type {
  AwsCredentials,
  CacheEntry,
  CacheLock,
  LongTermKeyStore,
  MfaNeed,
  MfaRunner,
  SessionCacheStore,
  TemporaryCredentials,
} from "./ports.js";
export {
  credentialsForProfile,
  type ProfileCredentialOptions,
  type ProfileCredentials,
} from "./profile-credentials.js";
export {
  REFRESH_MARGIN_MS,
  type ResolveDependencies,
  type ResolvedCredentials,
  resolveCredentials,
} from "./resolve-credentials.js";
export { FileSessionCache, type ListedSession } from "./session-cache-file.js";
export { defaultSessionCacheLocation, type SessionCacheLocation } from "./session-cache-reader.js";
