// The `ykman` MFA driver: reads the code from a YubiKey's OATH account with `ykman oath accounts code --single`.
// ykman runs without a shell (argument array), its stdin is the terminal (an OATH password prompt must reach the
// user) and its stderr is read: "Touch your YubiKey..." becomes our own notice on the terminal, naming the
// profile and device, because inside credential_process stderr is captured and the user would see nothing.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { TobiraError } from "../errors.js";
import { CONTROLLING_TERMINAL, writeNotice } from "../terminal/index.js";
import { describeRetry, type MfaDriver, type MfaRequest } from "./request.js";
import { type CodeClock, waitForNextCode } from "./wait-for-next-code.js";

export interface YkmanDriverOptions extends CodeClock {
  /** The OATH account name (`tobira_ykman_account`); the request's mfa_serial when unset. */
  account?: string | undefined;
  /** Environment for ykman (PATH finds it); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The program to run; "ykman" found on PATH by default. */
  executable?: string;
}

const MISSING_HINT =
  "install yubikey-manager (pip install yubikey-manager, brew install ykman, apt install yubikey-manager), " +
  "or choose another prompt with --mfa-prompt terminal";

export function createYkmanDriver(options: YkmanDriverOptions = {}): MfaDriver {
  const notice = options.notice ?? writeNotice;
  return {
    name: "ykman",
    async getCode(request: MfaRequest): Promise<string> {
      const retry = describeRetry(request);
      if (retry) notice(retry);
      await waitForNextCode(request, { ...options, notice }, "the YubiKey");
      const account = options.account ?? request.serial;
      const result = await runYkman(
        options.executable ?? "ykman",
        account,
        options.env ?? process.env,
        (line) =>
          notice(
            /touch your yubikey/i.test(line)
              ? `Touch your YubiKey… (MFA code for ${request.serial}, profile ${request.profile})\n`
              : `${line}\n`,
          ),
      );
      if (result.spawnError) {
        const code = (result.spawnError as NodeJS.ErrnoException).code;
        if (code === "ENOENT") {
          throw new TobiraError(
            "ykman was not found on PATH, so the YubiKey cannot be asked for the MFA code",
            {
              hint: MISSING_HINT,
              cause: result.spawnError,
            },
          );
        }
        throw new TobiraError(`could not run ykman (${code ?? result.spawnError.message})`, {
          hint: MISSING_HINT,
          cause: result.spawnError,
        });
      }
      if (result.exitCode !== 0) throw explainYkmanFailure(result, account, request);
      const code = parseYkmanCode(result.stdout);
      if (!code) {
        throw new TobiraError(`ykman did not print a 6-digit code for the OATH account "${account}"`, {
          hint: "AWS accepts 6-digit TOTP codes only: add the account again with `ykman oath accounts add` (6 digits, 30 s)",
        });
      }
      return code;
    },
  };
}

/** `--single` prints only the code; older ykman and the plain form print "NAME  123456". Take the last 6 digits. */
export function parseYkmanCode(stdout: string): string | undefined {
  const lines = stdout.split(/\r?\n/).filter((line) => line.trim() !== "");
  const last = lines[lines.length - 1];
  return last?.match(/(?:^|\s)(\d{6})\s*$/)?.[1];
}

interface YkmanResult {
  stdout: string;
  /** ykman's own complaints ("Error: …" lines), kept to explain a failure. */
  errors: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
}

function runYkman(
  executable: string,
  account: string,
  env: NodeJS.ProcessEnv,
  relay: (line: string) => void,
): Promise<YkmanResult> {
  // The terminal as stdin lets ykman ask for an OATH password; without a terminal it gets nothing to read.
  let stdinFd: number | undefined;
  try {
    stdinFd = openSync(CONTROLLING_TERMINAL, "r");
  } catch {
    stdinFd = undefined;
  }
  return new Promise<YkmanResult>((resolve) => {
    const result: YkmanResult = { stdout: "", errors: [], exitCode: null, signal: null };
    const child = spawn(executable, ["oath", "accounts", "code", "--single", account], {
      env,
      stdio: [stdinFd ?? "ignore", "pipe", "pipe"],
    });
    if (stdinFd !== undefined) closeSync(stdinFd); // the child holds its own copy
    let pending = "";
    const takeLine = (line: string): void => {
      if (line.trim() === "") return;
      if (/^error:/i.test(line.trim())) result.errors.push(line.trim());
      else relay(line); // the touch prompt, warnings, anything else ykman wants the user to read
    };
    // Both are pipes (stdio above), so neither is null.
    const stdout = child.stdout!;
    const stderr = child.stderr!;
    stdout.setEncoding("utf8");
    stdout.on("data", (chunk: string) => {
      // A code is a few bytes; cap what we keep in case something else answers as "ykman".
      if (result.stdout.length < 4096) result.stdout += chunk;
    });
    stderr.setEncoding("utf8");
    stderr.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? "";
      for (const line of lines) takeLine(line);
    });
    child.on("error", (error) => {
      result.spawnError = error;
    });
    child.on("close", (exitCode, signal) => {
      takeLine(pending);
      result.exitCode = exitCode;
      result.signal = signal;
      resolve(result);
    });
  });
}

function explainYkmanFailure(result: YkmanResult, account: string, request: MfaRequest): TobiraError {
  const said = result.errors.join(" ");
  const accountHint = `list the accounts with \`ykman oath accounts list\` and set tobira_ykman_account in profile ${request.profile} to the one for ${request.serial}`;
  if (/no matching account/i.test(said)) {
    return new TobiraError(`the YubiKey has no OATH account named "${account}"`, { hint: accountHint });
  }
  if (/multiple matches/i.test(said)) {
    return new TobiraError(`more than one OATH account on the YubiKey matches "${account}"`, {
      hint: accountHint,
    });
  }
  if (/no yubikey|failed connecting|no .*device/i.test(said)) {
    return new TobiraError("no YubiKey was found", {
      hint: "insert the YubiKey (and close other programs using it), or choose another prompt with --mfa-prompt",
    });
  }
  if (/timed out/i.test(said)) {
    return new TobiraError("the YubiKey was not touched in time", {
      hint: "run the command again and touch the key when it blinks",
    });
  }
  const how = result.signal ? `was stopped by ${result.signal}` : `exited with code ${result.exitCode}`;
  return new TobiraError(`ykman ${how} while reading the MFA code${said ? `: ${said}` : ""}`, {
    hint: `try \`ykman oath accounts code --single ${account}\` yourself to see what it needs`,
  });
}
