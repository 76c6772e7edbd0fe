// A user's machine beside a sandbox: an AWS config made from the sandbox's (its profiles, no keys, MFA codes
// from a command), a file vault, a session cache, the environment that points tobira and the SDKs there, and a
// runner of commands as that user. The demo's credential steps stand on it, and so do the cli's end-to-end tests.
// It never loads @tobira/sandbox: it reads the files a sandbox leaves in its state folder.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TobiraError } from "../errors.js";

/** What a command run to its end left: exit code (null when it could not start or a signal ended it), output. */
export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  /** Written to the command's stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
  /** Killed (SIGKILL) after this long, so a hung child fails a test instead of hanging it. */
  timeoutMs?: number;
  /** Called with all of stdout so far whenever more arrives (a test waiting for a line). */
  onStdout?: (stdout: string, pid: number) => void;
  onStderr?: (stderr: string, pid: number) => void;
}

/** Runs a program to its end; never rejects (a program that cannot start resolves with code null and why). */
export function runToEnd(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: options.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, child.pid ?? 0);
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(stderr, child.pid ?? 0);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({
        code: null,
        signal: null,
        stdout,
        stderr: `${stderr}cannot run ${command}: ${error.code ?? error.message}`,
      });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The variables of a developer's shell that would point tobira or an SDK elsewhere, left out. */
export function withoutAwsSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("AWS_") && !name.startsWith("TOBIRA_")) clean[name] = value;
  }
  return clean;
}

/** The sandbox's files a user's machine is made from (the `config` and `credentials` of its state folder). */
export interface SandboxFiles {
  config: string;
  credentials: string;
}

export interface UserMachineOptions {
  /** The folder for the user's files (config, vault, cache, runtime folder). */
  home: string;
  /** The command that prints alice's MFA code, as her profile's tobira_mfa_process. */
  mfaProcess: string;
  /** More `key = value` lines for [profile alice]. */
  aliceKeys?: readonly string[];
  /** Appended to the config file (another profile, such as one with credential_process). */
  extraConfig?: string;
  /** The sandbox's endpoint and what the config should name instead (a relay in between). */
  endpoint?: { from: string; to: string };
  /** The file vault's passphrase, given through TOBIRA_VAULT_PASSPHRASE as a script would. */
  passphrase: string;
  /** More variables, over the machine's own. */
  env?: NodeJS.ProcessEnv;
}

export interface UserMachine {
  home: string;
  /** The environment every command runs with. */
  env: NodeJS.ProcessEnv;
  /** Runs a command as the user (more variables in `extra`). */
  run(
    command: string,
    args: readonly string[],
    options?: Omit<RunOptions, "env"> & { extra?: NodeJS.ProcessEnv },
  ): Promise<CommandResult>;
}

/** Writes the user's config next to the sandbox's and returns the machine; the vault is left to the caller. */
export function prepareUserMachine(sandbox: SandboxFiles, options: UserMachineOptions): UserMachine {
  const { home } = options;
  writeFileSync(join(home, "config"), userConfig(sandbox, options), { mode: 0o600 });
  const env: NodeJS.ProcessEnv = {
    ...withoutAwsSettings(process.env),
    AWS_CONFIG_FILE: join(home, "config"),
    // No plain keys anywhere: the user's key lives only in the vault.
    AWS_SHARED_CREDENTIALS_FILE: join(home, "no-credentials-file"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    TOBIRA_BACKEND: "file",
    TOBIRA_VAULT_FILE: join(home, "vault"),
    TOBIRA_VAULT_PASSPHRASE: options.passphrase,
    TOBIRA_CACHE_DIR: join(home, "cache"),
    TOBIRA_RUNTIME_DIR: join(home, "run"),
    ...options.env,
  };
  return {
    home,
    env,
    run: (command, args, runOptions = {}) => {
      const { extra, ...rest } = runOptions;
      return runToEnd(command, args, { ...rest, env: { ...env, ...extra } });
    },
  };
}

/** The sandbox's config with alice's MFA codes from `mfaProcess`; her key is not copied into it. */
function userConfig(sandbox: SandboxFiles, options: UserMachineOptions): string {
  const aliceKeys = [`tobira_mfa_process = ${options.mfaProcess}`, ...(options.aliceKeys ?? [])];
  let config = readFileSync(sandbox.config, "utf8");
  if (!config.includes("[profile alice]\n")) {
    throw new TobiraError(`the sandbox's config file ${sandbox.config} has no [profile alice] section`, {
      hint: "the demo needs the built-in world; run it without a --state folder that holds another world",
    });
  }
  config = config.replace("[profile alice]\n", `[profile alice]\n${aliceKeys.join("\n")}\n`);
  if (options.endpoint) config = config.replaceAll(options.endpoint.from, options.endpoint.to);
  return options.extraConfig === undefined ? config : config.concat(options.extraConfig);
}

/** A user's long-term key as the sandbox's credentials file holds it (the IAM console's part in the demo). */
export function sandboxUserKey(
  credentialsFile: string,
  user = "alice",
): { accessKeyId: string; secretAccessKey: string } {
  const match = new RegExp(
    `\\[${user}\\]\\s+aws_access_key_id = (\\S+)\\s+aws_secret_access_key = (\\S+)`,
  ).exec(readFileSync(credentialsFile, "utf8"));
  if (!match) {
    throw new TobiraError(`the sandbox's credentials file ${credentialsFile} has no key for ${user}`, {
      hint: "the demo needs the built-in world",
    });
  }
  return { accessKeyId: match[1]!, secretAccessKey: match[2]! };
}
