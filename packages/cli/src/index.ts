// tobira as a library: the credential chain (a profile's credentials, and a provider for AWS SDK clients), the
// credential outputs (exec environment, export formats, credential_process JSON, the credential server) and the
// session openers (a shell, a command, port forwarding, ssh). The `tobira` command is built on the same modules.
//
// Importing this entry loads the AWS SDK clients of the session openers; the command line (bin.ts) never
// imports it, so `tobira credential-process` keeps its fast path.

// The credential chain
export type { ChainOptions, CredentialChainSpec, RoleHop, SourceSpec } from "./credentials/chain-spec.js";
export {
  CredentialLockTimeoutError,
  CredentialSettingError,
  MissingLongTermKeysError,
  StsCallError,
} from "./credentials/errors.js";
export { type CredentialPlan, type CredentialStep, planCredentials } from "./credentials/plan.js";
export type { AwsCredentials, TemporaryCredentials } from "./credentials/ports.js";
export {
  credentialsForProfile,
  type ProfileCredentialOptions,
  type ProfileCredentials,
} from "./credentials/profile-credentials.js";
export { profileCredentialProvider, type SdkCredentials } from "./credentials/sdk-provider.js";
export { ConfigError, formatError, TobiraError, UsageError } from "./errors.js";
// The credential outputs
export { credentialProcessJson } from "./outputs/credential-process/version1-json.js";
export {
  type CredentialVariablesInput,
  credentialVariables,
  execEnvironment,
} from "./outputs/environment/child-environment.js";
export { type ExecOptions, NestedExecError, runExec } from "./outputs/exec/exec-run.js";
export { EXPORT_FORMATS, type ExportFormat, formatExport } from "./outputs/export/export-format.js";
export {
  type CredentialServer,
  type CredentialServerOptions,
  startCredentialServer,
} from "./outputs/serve/credential-server.js";
export {
  type ProfileCredentialServer,
  type ServeOptions,
  serverEnvironment,
  startProfileCredentialServer,
} from "./outputs/serve/serve-run.js";
// The session openers
export { type PortForwardOptions, runPortForward } from "./sessions/port/port-forward-run.js";
export {
  type PortSessionOutcome,
  type ResumablePortSession,
  startPortSession,
} from "./sessions/port/resumable-port-session.js";
export { SessionAccess, type SessionAccessOptions } from "./sessions/port/session-access.js";
export { type CommandRunOptions, runCommand } from "./sessions/run/command-run.js";
export { runShell, type ShellRunOptions } from "./sessions/shell/shell-run.js";
export { runSshProxy, type SshProxyOptions } from "./sessions/ssh/ssh-proxy-run.js";
export {
  type OpenedSession,
  openSession,
  type SessionHandlers,
  type SessionOutcome,
  type SessionRequest,
} from "./sessions/ssm/open-session.js";
export {
  chosenProfile,
  openProfileAccess,
  type ProfileAccess,
  type ProfileAccessOptions,
} from "./sessions/ssm/profile-access.js";
export {
  openTargetSession,
  type TargetSession,
  type TargetSessionOptions,
} from "./sessions/ssm/target-session.js";
export { findTargets, type Target } from "./sessions/ssm/targets.js";
