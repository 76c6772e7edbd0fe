// Shared set-up of the session suites (port.mjs, shell.mjs): a sandbox with its message gateway at MGS's frame
// limit, alice's key in a temp file vault (`tobira add alice --env`), and project-a's credentials cached by one
// run (one MFA code from the sandbox), so every timed command starts with MFA cached, as a user's second command.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox } from "../../packages/sandbox/dist/src/index.js";
import { runStep } from "../child-run.mjs";

const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
const shellQuote = (word) => `'${word.replaceAll("'", `'\\''`)}'`;

/** MGS's reported limit (ssm-protocol.md §9) and the payload every official reader sends. */
export const GATEWAY_FRAMES_PER_SECOND = 1000;
export const PAYLOAD_BYTES = 1024;
/** The rate tobira and the sandbox's agent pace data frames at, under the gateway's limit (@tobira/session). */
export const PACED_FRAMES_PER_SECOND = 900;

/**
 * @param {import("../run.mjs").BenchContext} context
 * @param {string} label
 * @param {{ world?: object }} [options] another world than the built-in one
 */
export async function sessionMachine(context, label, options = {}) {
  const { root, node, tobiraBin, baseEnv, log } = context;
  const dir = join(root, label);
  const stateDir = join(dir, "sandbox");
  const sandbox = await startSandbox({
    stateDir,
    gateway: { framesPerSecond: GATEWAY_FRAMES_PER_SECOND },
    ...(options.world === undefined ? {} : { world: options.world }),
  });
  try {
    const alice = /\[alice\]\s+aws_access_key_id = (\S+)\s+aws_secret_access_key = (\S+)/.exec(
      readFileSync(join(stateDir, "credentials"), "utf8"),
    );
    if (!alice) throw new Error("bench set-up failed: no key for alice");
    const mfaProcess = [node, tobiraBin, "sandbox", "mfa-code", ALICE_MFA, "--state", stateDir]
      .map(shellQuote)
      .join(" ");
    writeFileSync(
      join(dir, "config"),
      readFileSync(join(stateDir, "config"), "utf8").replace(
        "[profile alice]\n",
        `[profile alice]\ntobira_mfa_process = ${mfaProcess}\n`,
      ),
      { mode: 0o600 },
    );
    const env = {
      ...baseEnv,
      AWS_CONFIG_FILE: join(dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials-file"),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      TOBIRA_BACKEND: "file",
      TOBIRA_VAULT_FILE: join(dir, "vault"),
      TOBIRA_VAULT_PASSPHRASE: "bench passphrase, not a secret",
      TOBIRA_CACHE_DIR: join(dir, "cache"),
      TOBIRA_RUNTIME_DIR: join(dir, "run"),
    };
    // Every command is registered in commands/index.ts: the CLI as npm links it runs them all.
    const entry = tobiraBin;
    log(`${label}: tobira add alice --env; one MFA code for project-a (entry: bin/tobira.js)`);
    await runStep("tobira add alice --env", {
      command: node,
      args: [entry, "add", "alice", "--env"],
      env: { ...env, AWS_ACCESS_KEY_ID: alice[1], AWS_SECRET_ACCESS_KEY: alice[2] },
    });
    await runStep("tobira targets (warms the MFA cache)", {
      command: node,
      args: [entry, "targets", "--profile", "project-a"],
      env,
    });
    return { sandbox, env, entry, dir, stateDir, close: () => sandbox.close() };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

/** `tobira port …` running; resolves once every "Port N opened" line is out, with the ports. */
export function startTobiraPort(machine, args, count = 1) {
  const child = spawn(process.execPath, [machine.entry, "port", ...args], {
    env: machine.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.setEncoding("utf8").on("data", (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      out += chunk;
      const ports = [...out.matchAll(/Port (\d+) opened for session/g)].map((m) => Number(m[1]));
      if (ports.length === count) resolve({ child, ports, stderr: () => err });
    });
    child.on("close", (code) => reject(new Error(`tobira port exited (${code}) before opening:\n${err}`)));
  });
}

/** SIGINT and wait for the exit. */
export function stopTobiraPort(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once("close", resolve);
    child.kill("SIGINT");
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
