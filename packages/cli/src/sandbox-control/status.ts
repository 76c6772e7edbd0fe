// `tobira sandbox status`: whether a sandbox serves from a state folder, where, and what world it serves.
// Exit code 0 whether running or not; scripts read `running` from `--json`.
import { existsSync } from "node:fs";
import { renderFields } from "../output/fields.js";
import { writeJson } from "../output/json.js";
import { inspectSandboxProcess, resolveStateDir, sandboxPaths } from "./state-folder.js";
import { describeCounts, readServedWorld, summarizeWorld } from "./world-summary.js";

export interface SandboxStatusReport {
  stateDir: string;
  running: boolean;
  /** running | stopped | stale (its process died) | unresponsive (alive, endpoint silent) */
  status: string;
  pid: number | null;
  endpoint: string | null;
  port: number | null;
  startedAt: string | null;
  files: { config: string; credentials: string; audit: string; log: string };
  world: { accounts: number; users: number; groups: number; roles: number; instances: number } | null;
}

export async function runSandboxStatus(options: { state?: string; json?: boolean }): Promise<void> {
  const paths = sandboxPaths(resolveStateDir(options.state));
  const current = await inspectSandboxProcess(paths);
  const world = readServedWorld(paths.world);
  const summary = world && summarizeWorld(world);
  const report: SandboxStatusReport = {
    stateDir: paths.stateDir,
    running: current.status === "running",
    status: current.status,
    pid: current.record?.pid ?? null,
    endpoint: current.record?.endpoint ?? null,
    port: current.record?.port ?? null,
    startedAt: current.record?.startedAt || null,
    files: { config: paths.config, credentials: paths.credentials, audit: paths.audit, log: paths.log },
    world: summary
      ? {
          accounts: summary.accounts,
          users: summary.users,
          groups: summary.groups,
          roles: summary.roles,
          instances: summary.instances,
        }
      : null,
  };
  if (options.json) {
    writeJson(report);
    return;
  }
  const state = {
    running: `running (pid ${report.pid})`,
    unresponsive: `not answering (pid ${report.pid} is alive, ${report.endpoint} is silent)`,
    stale: `stopped (pid ${report.pid} exited without cleaning up)`,
    stopped: "stopped",
  }[current.status];
  process.stdout.write(
    `${renderFields([
      ["sandbox", state],
      ["endpoint", current.status === "running" ? (report.endpoint ?? undefined) : undefined],
      ["started", current.status === "running" ? (report.startedAt ?? undefined) : undefined],
      ["state", existsSync(paths.stateDir) ? paths.stateDir : `${paths.stateDir} (does not exist yet)`],
      ["world", summary ? describeCounts(summary) : undefined],
      ["config", world ? paths.config : undefined],
      ["credentials", world ? paths.credentials : undefined],
      ["audit log", world ? paths.audit : undefined],
    ])}\n`,
  );
}
