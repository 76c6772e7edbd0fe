// The `command` MFA driver: runs the profile's mfa_process (or tobira_mfa_process) and reads the code it prints.
// The value runs through `/bin/sh -c`, as aws-vault runs mfa_process, so `pass otp aws` or
// `op item get … --otp` work as written. The request travels in environment variables, never in argv, and the
// command's stdin and stderr stay the user's so it can prompt (a password manager unlock) on its own.
import { spawn } from "node:child_process";
import { ConfigError, TobiraError } from "../errors.js";
import { writeNotice } from "../terminal/index.js";
import { describeRetry, isMfaCode, type MfaDriver, type MfaRequest } from "./request.js";
import { type CodeClock, waitForNextCode } from "./wait-for-next-code.js";

/** The profile keys a command can come from, most specific first: our own key wins over aws-vault's. */
export const MFA_PROCESS_KEYS = ["tobira_mfa_process", "mfa_process"] as const;
export type MfaProcessKey = (typeof MFA_PROCESS_KEYS)[number];

export interface MfaProcess {
  /** The shell command as written in the profile. It may hold a secret (`oathtool -b SEED`): never shown. */
  command: string;
  /** The profile key it came from, named in errors instead of the command itself. */
  key: MfaProcessKey;
}

/** The profile's MFA command, if it has one (an empty value counts as unset). */
export function findMfaProcess(
  settings: Readonly<Partial<Record<MfaProcessKey, string>>>,
): MfaProcess | undefined {
  for (const key of MFA_PROCESS_KEYS) {
    const command = settings[key]?.trim();
    if (command) return { command, key };
  }
  return undefined;
}

export interface CommandDriverOptions extends CodeClock {
  /** The command to run; undefined makes every request fail with advice to set mfa_process. */
  process: MfaProcess | undefined;
  /** Base environment for the command; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The shell; /bin/sh by default. */
  shell?: string;
}

export function createCommandDriver(options: CommandDriverOptions): MfaDriver {
  const notice = options.notice ?? writeNotice;
  return {
    name: "command",
    async getCode(request: MfaRequest): Promise<string> {
      const mfaProcess = options.process;
      if (!mfaProcess) {
        throw new ConfigError(
          `the "command" MFA prompt needs a command, and profile ${request.profile} has none`,
          {
            hint: `add mfa_process = <command printing the code> (or tobira_mfa_process) to profile ${request.profile}`,
          },
        );
      }
      const retry = describeRetry(request);
      if (retry) notice(retry);
      await waitForNextCode(
        request,
        { ...options, notice },
        `${mfaProcess.key} of profile ${request.profile}`,
      );
      const env: NodeJS.ProcessEnv = {
        ...(options.env ?? process.env),
        TOBIRA_MFA_SERIAL: request.serial,
        TOBIRA_MFA_PROFILE: request.profile,
        TOBIRA_MFA_ATTEMPT: String(request.attempt),
      };
      const result = await runCommand(options.shell ?? "/bin/sh", mfaProcess.command, env);
      const label = `${mfaProcess.key} of profile ${request.profile}`;
      const hint = `run the ${mfaProcess.key} command yourself: it must print the 6-digit code for ${request.serial} on stdout and exit 0`;
      if (result.spawnError) {
        throw new TobiraError(`could not start ${label} (${result.spawnError.message})`, {
          hint,
          cause: result.spawnError,
        });
      }
      if (result.exitCode !== 0) {
        const how = result.signal
          ? `was stopped by ${result.signal}`
          : `failed with exit code ${result.exitCode}`;
        throw new TobiraError(`${label} ${how}`, { hint });
      }
      const code = result.stdout.trim();
      // What it printed instead is not shown: a misconfigured command may print a seed or a password.
      if (!isMfaCode(code)) throw new TobiraError(`${label} did not print a 6-digit MFA code`, { hint });
      return code;
    },
  };
}

interface CommandResult {
  stdout: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
}

function runCommand(shell: string, command: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise<CommandResult>((resolve) => {
    const result: CommandResult = { stdout: "", exitCode: null, signal: null };
    const child = spawn(shell, ["-c", command], { env, stdio: ["inherit", "pipe", "inherit"] });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (result.stdout.length < 4096) result.stdout += chunk; // a code is 7 bytes; keep memory bounded
    });
    child.on("error", (error) => {
      result.spawnError = error;
    });
    child.on("close", (exitCode, signal) => {
      result.exitCode = exitCode;
      result.signal = signal;
      resolve(result);
    });
  });
}
