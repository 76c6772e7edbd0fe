// The credentials folder's public face: a profile's temporary credentials (cached, one MFA per working
// session), the session cache for `list --sessions` / `clear`, and the pure pieces the outputs share.
// Nothing here loads the AWS SDK, the vault or the MFA drivers at import time.

export type { ChainOptions, CredentialChainSpec, GivenOrigin, RoleHop, SourceSpec } from "./chain-spec.js";
export { answerCredentialProcessFromCache } from "./credential-process-fast.js";
export { credentialProcessJson } from "./credential-process-output.js";
export {
  CredentialLockTimeoutError,
  CredentialSettingError,
  MissingLongTermKeysError,
  NestedExecError,
  StsCallError,
} from "./errors.js";
export {
  type CredentialVariablesInput,
  credentialVariables,
  execEnvironment,
  NESTING_VARIABLE,
  SHADOWING_VARIABLES,
} from "./exec-environment.js";
export { EXPORT_FORMATS, type ExportFormat, formatExport } from "./export-format.js";
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
export {
  defaultSessionCacheLocation,
  FileSessionCache,
  type ListedSession,
  type SessionCacheLocation,
} from "./session-cache-file.js";
