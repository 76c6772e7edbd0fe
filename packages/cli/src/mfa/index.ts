// MFA codes from wherever the user keeps them: --mfa-code, a command, the terminal, a YubiKey; retried on refusal.
export {
  type CommandDriverOptions,
  createCommandDriver,
  findMfaProcess,
  MFA_PROCESS_KEYS,
  type MfaProcess,
  type MfaProcessKey,
} from "./command-driver.js";
export {
  createMfaDriver,
  isMfaPromptName,
  MFA_PROMPT_NAMES,
  type MfaDriverContext,
  type MfaProfileSettings,
  type MfaPromptName,
} from "./drivers.js";
export {
  isMfaCode,
  MFA_CODE_PATTERN,
  type MfaCodeSource,
  type MfaDriver,
  type MfaRequest,
  millisUntilNextCode,
  TOTP_STEP_SECONDS,
} from "./request.js";
export {
  chooseMfaDriver,
  createMfaSource,
  type MfaDriverChoice,
  type MfaSourceOptions,
  parseCliMfaCode,
} from "./resolve.js";
export {
  classifyMfaFailure,
  MfaCodeRejectedError,
  type MfaFailure,
  type MfaRetryOptions,
  withMfaRetry,
} from "./retry.js";
export {
  createTerminalDriver,
  MFA_NO_TERMINAL_ADVICE,
  type TerminalDriverOptions,
} from "./terminal-driver.js";
export { createUsedMfaCodes, processUsedMfaCodes, type UsedMfaCodes } from "./used-codes.js";
export { type CodeClock, realSleep } from "./wait-for-next-code.js";
export { createYkmanDriver, parseYkmanCode, type YkmanDriverOptions } from "./ykman-driver.js";
