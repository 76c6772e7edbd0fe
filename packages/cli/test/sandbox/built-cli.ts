// Runs the built `tobira` CLI and the AWS CLI v2 as a user would, for the end-to-end tests of this folder.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CommandResult, runToEnd } from "../../src/sandbox-control/user-machine.js";

export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
export const tobiraBin = join(repoRoot, "packages", "cli", "bin", "tobira.js");
const builtEntry = join(repoRoot, "packages", "cli", "dist", "src", "bin.js");

export type RunResult = CommandResult;

/** Runs a program to its end with no stdin; never rejects on a non-zero exit (tests assert on `code`). */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return runToEnd(command, args, {
    env: options.env ?? process.env,
    timeoutMs: options.timeoutMs ?? 120_000,
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
