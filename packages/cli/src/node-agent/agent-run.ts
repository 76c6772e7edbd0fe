// The agent's refresher loop: a pass (agent-refresh.ts), then sleep until the next one. `speed` shortens
// every sleep by that factor, so a demo or test sees the half-hourly rotation in seconds, and ages the key
// pair as much faster (KeyAutoRotateDays); the credentials' own expiry stays the sandbox's.

import { setTimeout as sleep } from "node:timers/promises";
import { agentPaths } from "./agent-folder.js";
import { refreshOnce } from "./agent-refresh.js";

export interface AgentRunOptions {
  dir: string;
  /** Divides every sleep (1 = the agent's real schedule). */
  speed?: number | undefined;
  /** One pass, then return. */
  once?: boolean | undefined;
  log: (line: string) => void;
  signal?: AbortSignal | undefined;
}

/** Transport failures retry with the agent's backoff: 2^n seconds plus 20% jitter, capped at 30 minutes. */
function backoffMs(attempt: number): number {
  const base = Math.min(2 ** attempt * 1000, 30 * 60_000);
  return base + Math.random() * base * 0.2;
}

export async function runAgent(options: AgentRunOptions): Promise<void> {
  const paths = agentPaths(options.dir);
  const speed = options.speed ?? 1;
  let failures = 0;
  for (;;) {
    let waitMs: number;
    try {
      const outcome = await refreshOnce(paths, { speed });
      failures = 0;
      options.log(outcome.event);
      waitMs = outcome.nextInMs;
    } catch (error) {
      if (options.once) throw error;
      failures = Math.min(failures + 1, 16);
      waitMs = backoffMs(failures);
      options.log(`refresh failed (${(error as Error).message}); retrying in ${Math.round(waitMs / 1000)} s`);
    }
    if (options.once) return;
    try {
      await sleep(Math.max(50, waitMs / speed), undefined, { signal: options.signal });
    } catch {
      return;
    }
  }
}
