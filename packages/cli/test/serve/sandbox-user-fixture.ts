// A user's machine against the sandbox, for the serve, login and rotate end-to-end tests: a sandbox on a temp
// state folder, alice's key only in an encrypted file vault, MFA codes from `tobira sandbox mfa-code` through
// tobira_mfa_process, and the built CLI run as a user runs it. Needs `npm run build` first.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningSandbox, startSandbox, type World } from "../../../sandbox/src/index.js";
import { FileVault } from "../../src/vault/file-vault.js";
import { fixedPassphrase } from "../../src/vault/passphrase-source.js";

const here = fileURLToPath(new URL(".", import.meta.url));
/** The CLI as npm links it (runs dist/, so `npm run build` first). */
export const tobiraBin = join(here, "..", "..", "bin", "tobira.js");
export const builtCommands = ["serve", "login", "rotate"].map((name) =>
  join(here, "..", "..", "dist", "src", "commands", `${name}.js`),
);
export const BUILT = builtCommands.every((path) => existsSync(path));

export const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
export const PASSPHRASE = "correct horse battery staple";

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface AuditLine {
  service?: string;
  action?: string;
  principalArn?: string;
  accessKeyId?: string;
  mfa?: boolean;
  decision: string;
  status: number;
}

export interface UserFixture {
  root: string;
  stateDir: string;
  sandbox: RunningSandbox;
  env: NodeJS.ProcessEnv;
  /** alice's key as the world (and now the vault) holds it. */
  aliceKey: { accessKeyId: string; secretAccessKey: string };
  /** The vault the CLI reads, opened by the test. */
  vault: FileVault;
  /** Runs the built CLI to its end (no stdin). */
  tobira(args: string[], extra?: NodeJS.ProcessEnv): Promise<RunResult>;
  /** Starts the built CLI and leaves it running (for serve). */
  spawnTobira(args: string[], extra?: NodeJS.ProcessEnv): ChildProcess;
  audit(): AuditLine[];
  /** How many MFA codes tobira asked for so far. */
  mfaPrompts(): number;
  close(): Promise<void>;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export async function startUserFixture(
  options: { world?: World; label: string; aliceProfileKeys?: string[] } = { label: "user" },
): Promise<UserFixture> {
  const root = mkdtempSync(join(tmpdir(), `tobira-${options.label}-`));
  const stateDir = join(root, "sandbox");
  const mfaLog = join(root, "mfa-calls.log");
  const sandbox = await startSandbox({ stateDir, ...(options.world ? { world: options.world } : {}) });
  const match = /\[alice\]\s+aws_access_key_id = (\S+)\s+aws_secret_access_key = (\S+)/.exec(
    readFileSync(join(stateDir, "credentials"), "utf8"),
  );
  if (!match) throw new Error("the sandbox wrote no key for alice");
  const aliceKey = { accessKeyId: match[1]!, secretAccessKey: match[2]! };
  // As `tobira add alice` would: the key in an encrypted file vault (a cheap scrypt cost for the test).
  const vault = new FileVault({
    path: join(root, "vault"),
    passphrase: fixedPassphrase(PASSPHRASE),
    kdf: { log2N: 12, r: 8, p: 1 },
  });
  await vault.keys.set("alice", { ...aliceKey, addedAt: new Date().toISOString() });
  // mfa_process: notes each call (one line = one code asked for) and asks the sandbox for the code.
  const mfaScript = join(root, "mfa-code.sh");
  writeFileSync(
    mfaScript,
    `#!/bin/sh\necho "$$" >> '${mfaLog}'\nexec '${process.execPath}' '${tobiraBin}' sandbox mfa-code '${ALICE_MFA}' --state '${stateDir}'\n`,
    { mode: 0o700 },
  );
  const extraKeys = [`tobira_mfa_process = ${mfaScript}`, ...(options.aliceProfileKeys ?? [])];
  const config = readFileSync(join(stateDir, "config"), "utf8").replace(
    "[profile alice]\n",
    `[profile alice]\n${extraKeys.join("\n")}\n`,
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
    // No browser in tests: `login` without --print must fall back to printing.
    BROWSER: "",
    DISPLAY: "",
    WAYLAND_DISPLAY: "",
  };
  return {
    root,
    stateDir,
    sandbox,
    env,
    aliceKey,
    vault,
    tobira: (args, extra = {}) => run(process.execPath, [tobiraBin, ...args], { ...env, ...extra }),
    spawnTobira: (args, extra = {}) =>
      spawn(process.execPath, [tobiraBin, ...args], {
        env: { ...env, ...extra },
        stdio: ["ignore", "pipe", "pipe"],
      }),
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
