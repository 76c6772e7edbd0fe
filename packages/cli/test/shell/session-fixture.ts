// A user's machine against the sandbox for the session end-to-end tests: a sandbox (gateway and agents
// included) on a temp state folder, alice's key put in an encrypted file vault with `tobira add alice --env`,
// MFA codes from `tobira sandbox mfa-code` through tobira_mfa_process (a wrapper that counts its calls), and
// the built CLI run as a user runs it — plainly, or under a real pseudo-terminal. Needs `npm run build`.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultWorld, type RunningSandbox, startSandbox, type World } from "@tobira/sandbox";
import type { IPty } from "node-pty";
import pty from "node-pty";

const here = fileURLToPath(new URL(".", import.meta.url));
/** The built CLI as npm links it: every command, targets/shell/run included, is registered in commands/index.ts. */
export const launcher = join(here, "..", "..", "bin", "tobira.js");
const tobiraBin = launcher;
const built = ["targets", "shell", "run"].map((name) =>
  join(here, "..", "..", "dist", "src", "commands", `${name}.js`),
);
/** The sandbox's gateway and agents have landed in the build (the session tests need them). */
export const BUILT =
  built.every((path) => existsSync(path)) &&
  existsSync(join(here, "..", "..", "..", "sandbox", "dist", "src", "gateway", "message-gateway.js"));

export const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
const PASSPHRASE = "correct horse battery staple";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AuditLine {
  service?: string;
  action?: string;
  principalArn?: string;
  decision: string;
  status: number;
  reason?: string;
  errorCode?: string;
  [key: string]: unknown;
}

/** The CLI under a pseudo-terminal: everything it wrote, and a way to wait for a pattern in it. */
export interface PtyRun {
  term: IPty;
  output(): string;
  /** Resolves with the match once the output (from `from` on) matches; rejects when the process ends first. */
  waitFor(pattern: RegExp, from?: number): Promise<RegExpExecArray>;
  exited: Promise<number>;
}

export interface SessionFixture {
  root: string;
  stateDir: string;
  sandbox: RunningSandbox;
  env: NodeJS.ProcessEnv;
  tobira(args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  tobiraOnPty(args: string[], options?: { cols?: number; rows?: number }): PtyRun;
  audit(): AuditLine[];
  /** How many MFA codes tobira asked for so far. */
  mfaPrompts(): number;
  close(): Promise<void>;
}

export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
  timeoutMs = 120_000,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    if (input !== undefined) child.stdin?.end(input);
    // A hung child must fail the test, not hang the suite.
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A copy of the default world changed by `edit` (the world variants of the tests). */
export function worldVariant(edit: (world: World) => void): World {
  const world = structuredClone(defaultWorld());
  edit(world);
  return world;
}

export async function startSessionFixture(options: {
  label: string;
  world?: World;
}): Promise<SessionFixture> {
  const root = mkdtempSync(join(tmpdir(), `tobira-${options.label}-`));
  const stateDir = join(root, "sandbox");
  const mfaLog = join(root, "mfa-calls.log");
  const sandbox = await startSandbox({ stateDir, ...(options.world ? { world: options.world } : {}) });
  const match = /\[alice\]\s+aws_access_key_id = (\S+)\s+aws_secret_access_key = (\S+)/.exec(
    readFileSync(join(stateDir, "credentials"), "utf8"),
  );
  if (!match) throw new Error("the sandbox wrote no key for alice");
  // tobira_mfa_process: one line per code asked for, then the code from the sandbox.
  const mfaScript = join(root, "mfa-code.sh");
  writeFileSync(
    mfaScript,
    `#!/bin/sh\necho "$$" >> '${mfaLog}'\nexec '${process.execPath}' '${tobiraBin}' sandbox mfa-code '${ALICE_MFA}' --state '${stateDir}'\n`,
    { mode: 0o700 },
  );
  const config = readFileSync(join(stateDir, "config"), "utf8").replace(
    "[profile alice]\n",
    `[profile alice]\ntobira_mfa_process = ${mfaScript}\n`,
  );
  writeFileSync(join(root, "config"), config);
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("AWS_") && !key.startsWith("TOBIRA_")) base[key] = value;
  }
  const env: NodeJS.ProcessEnv = {
    ...base,
    AWS_CONFIG_FILE: join(root, "config"),
    // No plain keys anywhere: alice's key lives only in the vault.
    AWS_SHARED_CREDENTIALS_FILE: join(root, "no-credentials-file"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    TOBIRA_BACKEND: "file",
    TOBIRA_VAULT_FILE: join(root, "vault"),
    TOBIRA_VAULT_PASSPHRASE: PASSPHRASE,
    TOBIRA_CACHE_DIR: join(root, "cache"),
    TOBIRA_RUNTIME_DIR: join(root, "run"),
    TERM: "xterm",
  };
  const tobira: SessionFixture["tobira"] = (args, runOptions = {}) =>
    run(process.execPath, [launcher, ...args], { ...env, ...runOptions.env }, runOptions.input);
  const added = await tobira(["add", "alice", "--env"], {
    env: { AWS_ACCESS_KEY_ID: match[1]!, AWS_SECRET_ACCESS_KEY: match[2]! },
  });
  if (added.code !== 0) throw new Error(`tobira add alice --env failed: ${added.stderr}`);
  return {
    root,
    stateDir,
    sandbox,
    env,
    tobira,
    tobiraOnPty(args, ptyOptions = {}) {
      const term = pty.spawn(process.execPath, [launcher, ...args], {
        name: "xterm",
        cols: ptyOptions.cols ?? 80,
        rows: ptyOptions.rows ?? 24,
        cwd: root,
        env: env as Record<string, string>,
      });
      let output = "";
      const waiters = new Set<() => void>();
      term.onData((data) => {
        output += data;
        for (const check of waiters) check();
      });
      const exited = new Promise<number>((resolve) => {
        term.onExit(({ exitCode }) => {
          for (const check of waiters) check();
          resolve(exitCode);
        });
      });
      let ended = false;
      void exited.then(() => {
        ended = true;
        for (const check of waiters) check();
      });
      // A hang guard that reports what was written, not a timed assertion.
      const waitFor = (pattern: RegExp, from = 0): Promise<RegExpExecArray> =>
        new Promise((resolve, reject) => {
          const guard = setTimeout(() => {
            waiters.delete(check);
            reject(
              new Error(
                `${pattern} did not appear within 60 s; the terminal shows:\n${JSON.stringify(output.slice(from))}`,
              ),
            );
          }, 60_000);
          const check = (): void => {
            const found = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(output.slice(from));
            if (found) {
              waiters.delete(check);
              clearTimeout(guard);
              resolve(found);
            } else if (ended) {
              waiters.delete(check);
              clearTimeout(guard);
              reject(new Error(`the process ended before ${pattern} appeared; it wrote:\n${output}`));
            }
          };
          waiters.add(check);
          check();
        });
      return { term, output: () => output, waitFor, exited };
    },
    audit: () =>
      (existsSync(join(stateDir, "audit.jsonl")) ? readFileSync(join(stateDir, "audit.jsonl"), "utf8") : "")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as AuditLine),
    mfaPrompts: () =>
      existsSync(mfaLog) ? readFileSync(mfaLog, "utf8").split("\n").filter(Boolean).length : 0,
    async close() {
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
