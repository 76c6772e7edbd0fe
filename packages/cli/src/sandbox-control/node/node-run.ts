// `tobira sandbox node run`: the simulated node's agent refresher, in the foreground until Ctrl-C or SIGTERM
// (or one pass with --once). `--speed N` runs its schedule N times faster.

import { UsageError } from "../../errors.js";
import { runAgent } from "../../node-agent/agent-run.js";
import { type NodeFolderOptions, nodeDirOf } from "./node-options.js";

export async function runNodeAgent(
  options: NodeFolderOptions & { speed?: number; once?: boolean },
): Promise<void> {
  const speed = options.speed ?? 1;
  if (!(speed >= 1))
    throw new UsageError("--speed must be 1 or more", { hint: "e.g. --speed 60 rotates every 30 s" });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await runAgent({
      dir: nodeDirOf(options),
      speed,
      once: options.once,
      signal: controller.signal,
      log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
    });
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
