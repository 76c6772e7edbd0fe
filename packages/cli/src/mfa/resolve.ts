// Where MFA codes come from: --mfa-code (once) > mfa_process / tobira_mfa_process > the chosen prompt driver.
// Precedence follows aws-vault: a command configured in the profile beats any prompt, and the prompt is
// chosen by --mfa-prompt, then TOBIRA_MFA_PROMPT, then the profile's tobira_mfa_prompt, else the terminal.
import { ConfigError, TobiraError, UsageError } from "../errors.js";
import type { TerminalOpenOptions } from "../terminal/index.js";
import { findMfaProcess } from "./command-driver.js";
import {
  createMfaDriver,
  isMfaPromptName,
  MFA_PROMPT_NAMES,
  type MfaProfileSettings,
  type MfaPromptName,
} from "./drivers.js";
import { isMfaCode, type MfaCodeSource, type MfaDriver, type MfaRequest } from "./request.js";

export interface MfaSourceOptions {
  /** The keys of the profile that holds mfa_serial (the source of the MFA, not the role profile). */
  profileSettings: MfaProfileSettings;
  /** --mfa-code: used for the first code asked for, and never retried. */
  cliMfaCode?: string;
  /** --mfa-prompt. */
  cliPrompt?: string | undefined;
  /** The environment (TOBIRA_MFA_PROMPT; PATH and the rest for ykman and commands). */
  env: NodeJS.ProcessEnv;
  /** Where the terminal driver looks for a terminal; the controlling terminal by default. */
  terminal?: TerminalOpenOptions;
}

/** The driver chosen for codes after --mfa-code, and which setting chose it (for messages and tests). */
export interface MfaDriverChoice {
  name: MfaPromptName;
  from:
    | "tobira_mfa_process"
    | "mfa_process"
    | "--mfa-prompt"
    | "TOBIRA_MFA_PROMPT"
    | "tobira_mfa_prompt"
    | "default";
}

export function chooseMfaDriver(options: Omit<MfaSourceOptions, "cliMfaCode">): MfaDriverChoice {
  const mfaProcess = findMfaProcess(options.profileSettings);
  if (mfaProcess) return { name: "command", from: mfaProcess.key };
  const candidates: [string | undefined, "--mfa-prompt" | "TOBIRA_MFA_PROMPT" | "tobira_mfa_prompt"][] = [
    [options.cliPrompt, "--mfa-prompt"],
    [options.env.TOBIRA_MFA_PROMPT, "TOBIRA_MFA_PROMPT"],
    [options.profileSettings.tobira_mfa_prompt, "tobira_mfa_prompt"],
  ];
  for (const [raw, from] of candidates) {
    const value = raw?.trim();
    if (!value) continue;
    if (isMfaPromptName(value)) return { name: value, from };
    const message = `unknown MFA prompt "${value}" in ${from}`;
    const hint = `choose one of: ${MFA_PROMPT_NAMES.join(", ")}`;
    throw from === "tobira_mfa_prompt"
      ? new ConfigError(message, { hint })
      : new UsageError(message, { hint });
  }
  return { name: "terminal", from: "default" };
}

/** Checks --mfa-code up front: a malformed code is a usage error, not a wasted attempt at AWS. */
export function parseCliMfaCode(value: string): string {
  const code = value.replace(/\s+/g, "");
  if (!isMfaCode(code)) {
    throw new UsageError("--mfa-code must be the 6 digits your MFA device shows", {
      hint: "for example --mfa-code 123456, or leave it out to be asked",
    });
  }
  return code;
}

/**
 * Folds the precedence into one function the credential core calls with each request. --mfa-code answers
 * the first attempt of the first request only; if AWS refuses it, the retry fails at once rather than
 * prompting (whoever passed a code on the command line is likely not watching a terminal).
 */
export function createMfaSource(options: MfaSourceOptions): MfaCodeSource {
  let oneShot = options.cliMfaCode === undefined ? undefined : parseCliMfaCode(options.cliMfaCode);
  let lastWasOneShot = false;
  // Chosen now so a bad --mfa-prompt fails before any AWS call; built lazily (a cache hit builds nothing).
  const choice = chooseMfaDriver(options);
  let driver: MfaDriver | undefined;
  return async (request: MfaRequest): Promise<string> => {
    if (request.attempt <= 1 && oneShot !== undefined) {
      const code = oneShot;
      oneShot = undefined;
      lastWasOneShot = true;
      return code;
    }
    if (request.attempt > 1 && lastWasOneShot) {
      throw new TobiraError(`AWS did not accept the code given with --mfa-code for ${request.serial}`, {
        hint: "a code works once and only for about 30 s: run again with the next code, or without --mfa-code to be asked",
      });
    }
    lastWasOneShot = false;
    driver ??= createMfaDriver(choice.name, {
      profileSettings: options.profileSettings,
      env: options.env,
      terminal: options.terminal,
    });
    return driver.getCode(request);
  };
}
