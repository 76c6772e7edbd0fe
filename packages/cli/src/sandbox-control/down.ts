// `tobira sandbox down`: stop the sandbox serving from a state folder (SIGTERM, then wait for it to exit).
// Stopping a sandbox that is not running is not an error (exit 0): scripts call `down` in their cleanup.
import { rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { TobiraError } from "../errors.js";
import { inspectSandboxProcess, isProcessAlive, resolveStateDir, sandboxPaths } from "./state-folder.js";

const STOP_TIMEOUT_MS = 15_000;

export async function runSandboxDown(options: { state?: string }): Promise<void> {
  const paths = sandboxPaths(resolveStateDir(options.state));
  const current = await inspectSandboxProcess(paths);
  if (current.status === "stopped" || current.status === "stale") {
    // A record left by a process that died would make every later command think it still runs.
    if (current.status === "stale") rmSync(paths.runRecord, { force: true });
    process.stdout.write(`no sandbox is running for ${paths.stateDir}\n`);
    return;
  }
  const { pid } = current.record;
  try {
    process.kill(pid, "SIGTERM");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") {
      throw new TobiraError(`cannot stop the sandbox (pid ${pid}): ${(error as Error).message}`, {
        hint: "stop it as the user that started it",
      });
    }
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) {
      throw new TobiraError(`the sandbox (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s`, {
        hint: `read ${paths.log}; force it with \`kill -KILL ${pid}\``,
      });
    }
    await sleep(100);
  }
  process.stdout.write(`stopped the sandbox for ${paths.stateDir} (pid ${pid})\n`);
}
