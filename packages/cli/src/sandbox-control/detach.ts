// Starts `tobira sandbox up` as a background process (output to <state>/sandbox.log) and waits until it answers.
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { TobiraError } from "../errors.js";
import { endpointAnswers, type RunRecord, readRunRecord, type SandboxPaths } from "./state-folder.js";

/** Seconds to wait for a detached sandbox to answer; `TOBIRA_SANDBOX_START_TIMEOUT` overrides it. */
const DEFAULT_START_TIMEOUT_SECONDS = 30;

export interface DetachOptions {
  world?: string | undefined;
  template?: string[] | undefined;
  account?: string | undefined;
  region?: string | undefined;
  port?: number | undefined;
}

export async function startDetachedSandbox(paths: SandboxPaths, options: DetachOptions): Promise<RunRecord> {
  const entry = process.argv[1];
  if (!entry) throw new TobiraError("cannot tell which script is running tobira, so it cannot start itself");
  mkdirSync(paths.stateDir, { recursive: true, mode: 0o700 });
  const log = openSync(paths.log, "a", 0o600);
  writeSync(log, `--- tobira sandbox up --detach, ${new Date().toISOString()}\n`);
  const args = [...process.execArgv, entry, "sandbox", "up", "--state", paths.stateDir];
  if (options.world !== undefined) args.push("--world", resolve(options.world));
  if (options.template !== undefined) {
    args.push("--template", ...options.template.map((file) => resolve(file)));
    if (options.account !== undefined) args.push("--account", options.account);
    if (options.region !== undefined) args.push("--region", options.region);
  }
  if (options.port !== undefined) args.push("--port", String(options.port));
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);

  let exit: string | undefined;
  child.once("exit", (code, signal) => {
    exit = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.once("error", (error) => {
    exit = error.message;
  });

  const timeoutSeconds = Number(process.env.TOBIRA_SANDBOX_START_TIMEOUT) || DEFAULT_START_TIMEOUT_SECONDS;
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    if (exit !== undefined) {
      throw new TobiraError(`the sandbox stopped while starting (${exit})${logTail(paths.log)}`, {
        hint: `read ${paths.log}, or run \`tobira sandbox up\` without --detach to see its output`,
      });
    }
    const record = readRunRecord(paths.runRecord);
    if (record && record.pid === child.pid && (await endpointAnswers(record.endpoint))) {
      child.unref();
      return record;
    }
    await sleep(100);
  }
  child.kill("SIGTERM");
  throw new TobiraError(`the sandbox did not answer within ${timeoutSeconds} s${logTail(paths.log)}`, {
    hint: `read ${paths.log}; on a slow machine set TOBIRA_SANDBOX_START_TIMEOUT to more seconds`,
  });
}

/** The last lines of the log, indented, to put under an error message. */
function logTail(path: string, count = 15): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return "";
  }
  const lines = text.trimEnd().split("\n").slice(-count);
  return `; last lines of ${path}:\n${lines.map((line) => `    ${line}`).join("\n")}`;
}
