// `tobira node serve` of the built CLI as the node tests start it: its argv around an agent's folder and a
// socket path, and the wait for the line it prints once it serves (or the exit that comes instead).
import { type ChildProcess, spawn } from "node:child_process";
import { type RunResult, runToEnd, tobiraBin } from "../fixtures/sandbox-user.js";

function serveArgs(agentDir: string, socket: string, options: string[]): string[] {
  return [tobiraBin, "node", "serve", "--agent-dir", agentDir, "--socket", socket, ...options];
}

/** The server left running; `ready` resolves with the first match of `line` on its stdout. */
export function startNodeServe(
  agentDir: string,
  socket: string,
  options: string[],
  line: RegExp,
): { server: ChildProcess; ready: Promise<RegExpExecArray> } {
  const server = spawn(process.execPath, serveArgs(agentDir, socket, options), {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ready = new Promise<RegExpExecArray>((resolve, reject) => {
    let seen = "";
    server.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = line.exec(seen);
      if (match) resolve(match);
    });
    server.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${seen}`)));
  });
  return { server, ready };
}

/** A server expected to refuse to start: run to its end (killed after a minute if it serves instead). */
export function runNodeServe(agentDir: string, socket: string, options: string[]): Promise<RunResult> {
  return runToEnd(process.execPath, serveArgs(agentDir, socket, options), {
    env: process.env,
    timeoutMs: 60_000,
  });
}
