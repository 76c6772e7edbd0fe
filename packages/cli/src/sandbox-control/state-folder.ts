// Finds a sandbox's state folder and tells whether a sandbox is serving from it (pid alive, endpoint answering).
// This module never loads @tobira/sandbox: it reads the files the sandbox leaves in the folder, so `status`,
// `down` and the "already running" check stay cheap.
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { readJsonFile } from "../files/read-json.js";

/** The files a sandbox keeps in its state folder (see packages/sandbox/src/index.ts). */
export interface SandboxPaths {
  stateDir: string;
  config: string;
  credentials: string;
  audit: string;
  /** Written by the sandbox while it serves: {pid, endpoint, port, startedAt}; removed when it closes. */
  runRecord: string;
  /** The world it serves, as JSON. */
  world: string;
  /** Output of a sandbox started with `up --detach`. */
  log: string;
}

/**
 * The state folder: `--state`, else `TOBIRA_SANDBOX_STATE`, else a per-user folder
 * (`$XDG_STATE_HOME/tobira/sandbox` or `~/.local/state/tobira/sandbox`; on macOS
 * `~/Library/Application Support/tobira/sandbox`). Always returned absolute.
 */
export function resolveStateDir(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (option) return resolve(option);
  if (env.TOBIRA_SANDBOX_STATE) return resolve(env.TOBIRA_SANDBOX_STATE);
  const home = env.HOME || homedir();
  if (platform === "darwin") return join(home, "Library", "Application Support", "tobira", "sandbox");
  const stateHome = env.XDG_STATE_HOME?.startsWith("/") ? env.XDG_STATE_HOME : join(home, ".local", "state");
  return join(stateHome, "tobira", "sandbox");
}

export function sandboxPaths(stateDir: string): SandboxPaths {
  return {
    stateDir,
    config: join(stateDir, "config"),
    credentials: join(stateDir, "credentials"),
    audit: join(stateDir, "audit.jsonl"),
    runRecord: join(stateDir, "sandbox.json"),
    world: join(stateDir, "world.json"),
    log: join(stateDir, "sandbox.log"),
  };
}

export interface RunRecord {
  pid: number;
  endpoint: string;
  port: number;
  startedAt: string;
}

/**
 * What the state folder says about a sandbox process:
 * - `running`: its pid is alive and its endpoint answers HTTP;
 * - `unresponsive`: its pid is alive but the endpoint does not answer (starting, or stuck);
 * - `stale`: a run record is left from a process that is gone (it crashed or was killed);
 * - `stopped`: no run record.
 */
export type SandboxProcessState =
  | { status: "running" | "unresponsive" | "stale"; record: RunRecord }
  | { status: "stopped"; record?: undefined };

export async function inspectSandboxProcess(paths: SandboxPaths): Promise<SandboxProcessState> {
  const record = readRunRecord(paths.runRecord);
  if (!record) return { status: "stopped" };
  if (!isProcessAlive(record.pid)) return { status: "stale", record };
  return { status: (await endpointAnswers(record.endpoint)) ? "running" : "unresponsive", record };
}

export function readRunRecord(path: string): RunRecord | undefined {
  // A half-written or foreign file counts as no record; the sandbox rewrites it when it starts.
  const value = readJsonFile(path);
  if (value === null || typeof value !== "object") return undefined;
  const record = value as Partial<RunRecord>;
  if (typeof record.pid !== "number" || typeof record.endpoint !== "string") return undefined;
  if (typeof record.port !== "number" && !URL.canParse(record.endpoint)) return undefined;
  return {
    pid: record.pid,
    endpoint: record.endpoint,
    port: typeof record.port === "number" ? record.port : Number(new URL(record.endpoint).port),
    startedAt: typeof record.startedAt === "string" ? record.startedAt : "",
  };
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

/** A process that exited but was not reaped yet still answers kill(0); on Linux /proc tells them apart. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Format: "pid (comm) S …"; comm may hold spaces or parentheses, so read after the last ')'.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}

/** True when something answers HTTP at `endpoint` within `timeoutMs`, whatever the status code. */
export function endpointAnswers(endpoint: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((done) => {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      done(false);
      return;
    }
    const req = request(url, { method: "GET", agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      done(true);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => done(false));
    req.end();
  });
}
