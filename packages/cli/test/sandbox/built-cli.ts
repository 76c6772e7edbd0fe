// Runs the built `tobira` CLI and the AWS CLI v2 as a user would, for the end-to-end tests of this folder.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
export const tobiraBin = join(repoRoot, "packages", "cli", "bin", "tobira.js");
const builtEntry = join(repoRoot, "packages", "cli", "dist", "src", "bin.js");

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end with no stdin; never rejects on a non-zero exit (tests assert on `code`). */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    // A hung child must fail the test, not hang the suite.
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The environment a test hands to tobira and the AWS CLI: none of the developer's AWS settings leak in. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("AWS_") && !key.startsWith("TOBIRA_SANDBOX")) env[key] = value;
  }
  return { ...env, AWS_EC2_METADATA_DISABLED: "true", AWS_PAGER: "", ...extra };
}

/** Runs `tobira ARGS` through the built CLI (`npm run build` first), as installed users run it. */
export function tobira(args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<RunResult> {
  if (!existsSync(builtEntry)) {
    throw new Error(`${builtEntry} is missing: run \`npm run build\` before the end-to-end tests`);
  }
  return run(process.execPath, [tobiraBin, ...args], { env });
}

/** A fresh state folder; `remove` deletes it. */
export function makeStateDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `tobira-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The endpoint from `sandbox up` output's first line, `endpoint: http://127.0.0.1:N`. */
export function endpointFrom(stdout: string): string {
  const match = /^endpoint: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
  if (!match?.[1]) throw new Error(`no endpoint line in:\n${stdout}`);
  return match[1];
}

/**
 * The AWS CLI v2 binary: TOBIRA_AWS_CLI, else Debian's /usr/bin/aws (`awscli`, installed by .ci/run). Not the
 * `aws` on PATH, which may be a v1 from pip.
 */
export const awsCliPath = process.env.TOBIRA_AWS_CLI || "/usr/bin/aws";

export function awsCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return run(awsCliPath, [...args, "--output", "json"], { env });
}
