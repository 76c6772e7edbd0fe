// Runs one child process to its end and times it: wall time from spawn to exit, stdout and stderr collected.
import { spawn } from "node:child_process";

/**
 * @param {{ command: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string, timeoutMs?: number }} run
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string, ms: number }>}
 */
export function runTimed(run) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(run.command, run.args, {
      env: run.env,
      stdio: ["pipe", "pipe", "pipe"],
      // detached: a new session without a controlling terminal, so a prompt cannot reach the user's tty.
      detached: run.detached === true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(run.input ?? "");
    // A hung child must end the bench, not hang it.
    const timer = setTimeout(() => child.kill("SIGKILL"), run.timeoutMs ?? 120_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ code, stdout, stderr, ms });
    });
  });
}

/** Runs a set-up step and throws, with its stderr, when it fails. */
export async function runStep(what, run) {
  const result = await runTimed(run);
  if (result.code !== 0) {
    throw new Error(`bench set-up failed: ${what} exited ${result.code}\n${result.stderr.trim()}`);
  }
  return result;
}
