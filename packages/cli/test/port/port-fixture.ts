// A user's machine against the sandbox for the port, ssh-proxy and resilience tests: a sandbox (gateway,
// agents, local services) on a temp state folder — optionally on a clock the test moves and behind a
// fault-injecting relay — alice's key in an encrypted file vault (`tobira add alice --env`), MFA codes from
// `tobira sandbox mfa-code` through a counting tobira_mfa_process, and the built CLI run as a user runs it.
// Needs `npm run build`.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type GatewayOptions, type RunningSandbox, startSandbox, type World } from "@tobira/sandbox";
import { FaultyGatewayRelay, type RelayFaultPlan } from "../resilience/faulty-gateway-relay.js";
import { type RunResult, run } from "../shell/session-fixture.js";

const here = fileURLToPath(new URL(".", import.meta.url));
export const launcher = join(here, "tobira-with-ports.mjs");
export const tobiraBin = join(here, "..", "..", "bin", "tobira.js");
const cliDist = join(here, "..", "..", "dist", "src");
/** The CLI with these commands and the sandbox's port plugin are built. */
export const BUILT =
  ["port", "ssh-proxy", "ssh-config"].every((name) => existsSync(join(cliDist, "commands", `${name}.js`))) &&
  existsSync(join(here, "..", "..", "..", "sandbox", "dist", "src", "agents", "port-forwarding-plugin.js"));

export const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
const PASSPHRASE = "correct horse battery staple";

export type { RunResult };

/** A long-running CLI process (tobira port) and ways to wait for what it says. */
export interface LiveRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the match once stdout+stderr matches; rejects if the process ends first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

export interface PortFixture {
  root: string;
  stateDir: string;
  sandbox: RunningSandbox;
  relay?: FaultyGatewayRelay;
  env: NodeJS.ProcessEnv;
  tobira(args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  spawnTobira(args: string[]): LiveRun;
  /** `tobira port …` started and every "Port N opened" line seen: the local ports, in mapping order. */
  openPorts(args: string[], count?: number): Promise<{ run: LiveRun; ports: number[] }>;
  audit(): {
    service?: string;
    action?: string;
    decision: string;
    errorCode?: string;
    [key: string]: unknown;
  }[];
  mfaPrompts(): number;
  close(): Promise<void>;
}

/** A finished process's output; the port and ssh tests wait longer for theirs (large transfers). */
export function runProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
  timeoutMs = 180_000,
): Promise<RunResult> {
  return run(command, args, env, input, timeoutMs);
}

export function liveRun(child: ChildProcess): LiveRun {
  let out = "";
  let err = "";
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const check of waiters) check();
  };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    poke();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
    poke();
  });
  let ended = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      ended = true;
      poke();
      resolve(code);
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = pattern.exec(`${out}\n${err}`);
          if (found) {
            waiters.delete(check);
            resolve(found);
          } else if (ended) {
            waiters.delete(check);
            reject(new Error(`the process ended before ${pattern} appeared:\n${out}\n${err}`));
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

export async function startPortFixture(options: {
  label: string;
  world?: World;
  clock?: () => number;
  gateway?: GatewayOptions;
  /** Put the fault-injecting relay between the CLI and the sandbox (faults can be changed later). */
  relay?: RelayFaultPlan;
}): Promise<PortFixture> {
  const root = mkdtempSync(join(tmpdir(), `tobira-${options.label}-`));
  const stateDir = join(root, "sandbox");
  const mfaLog = join(root, "mfa-calls.log");
  const sandbox = await startSandbox({
    stateDir,
    ...(options.world ? { world: options.world } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.gateway ? { gateway: options.gateway } : {}),
  });
  const relay =
    options.relay === undefined ? undefined : await FaultyGatewayRelay.start(sandbox.endpoint, options.relay);
  const match = /\[alice\]\s+aws_access_key_id = (\S+)\s+aws_secret_access_key = (\S+)/.exec(
    readFileSync(join(stateDir, "credentials"), "utf8"),
  );
  if (!match) throw new Error("the sandbox wrote no key for alice");
  const mfaScript = join(root, "mfa-code.sh");
  writeFileSync(
    mfaScript,
    `#!/bin/sh\necho "$$" >> '${mfaLog}'\nexec '${process.execPath}' '${tobiraBin}' sandbox mfa-code '${ALICE_MFA}' --state '${stateDir}'\n`,
    { mode: 0o700 },
  );
  let config = readFileSync(join(stateDir, "config"), "utf8").replace(
    "[profile alice]\n",
    `[profile alice]\ntobira_mfa_process = ${mfaScript}\n`,
  );
  if (relay !== undefined) config = config.replaceAll(sandbox.endpoint, relay.url);
  writeFileSync(join(root, "config"), config);
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("AWS_") && !key.startsWith("TOBIRA_")) base[key] = value;
  }
  const env: NodeJS.ProcessEnv = {
    ...base,
    HOME: root,
    AWS_CONFIG_FILE: join(root, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(root, "no-credentials-file"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    TOBIRA_BACKEND: "file",
    TOBIRA_VAULT_FILE: join(root, "vault"),
    TOBIRA_VAULT_PASSPHRASE: PASSPHRASE,
    TOBIRA_CACHE_DIR: join(root, "cache"),
    TOBIRA_RUNTIME_DIR: join(root, "run"),
  };
  const tobira: PortFixture["tobira"] = (args, runOptions = {}) =>
    runProcess(process.execPath, [launcher, ...args], { ...env, ...runOptions.env }, runOptions.input);
  const added = await tobira(["add", "alice", "--env"], {
    env: { AWS_ACCESS_KEY_ID: match[1]!, AWS_SECRET_ACCESS_KEY: match[2]! },
  });
  if (added.code !== 0) throw new Error(`tobira add alice --env failed: ${added.stderr}`);
  const live = new Set<ChildProcess>();
  const spawnTobira = (args: string[]): LiveRun => {
    const child = spawn(process.execPath, [launcher, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    live.add(child);
    child.on("close", () => live.delete(child));
    return liveRun(child);
  };
  return {
    root,
    stateDir,
    sandbox,
    ...(relay === undefined ? {} : { relay }),
    env,
    tobira,
    spawnTobira,
    async openPorts(args, count = 1) {
      const run = spawnTobira(args);
      const ports: number[] = [];
      for (let i = 0; i < count; i++) {
        const pattern = new RegExp(
          `(?:Port (\\d+) opened for session \\S+\\. Waiting for connections\\.\\.\\.[^]*){${i + 1}}`,
        );
        await run.waitFor(pattern);
      }
      for (const m of run.stdout().matchAll(/Port (\d+) opened for session/g)) ports.push(Number(m[1]));
      return { run, ports };
    },
    audit: () =>
      (existsSync(join(stateDir, "audit.jsonl")) ? readFileSync(join(stateDir, "audit.jsonl"), "utf8") : "")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line)),
    mfaPrompts: () =>
      existsSync(mfaLog) ? readFileSync(mfaLog, "utf8").split("\n").filter(Boolean).length : 0,
    async close() {
      for (const child of live) child.kill("SIGKILL");
      await relay?.close();
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
