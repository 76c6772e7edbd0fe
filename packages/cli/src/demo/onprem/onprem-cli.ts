// The on-premises demo's processes: the built `tobira` CLI run as root or as another local user (a real
// uid, so `tobira node serve`'s peer check sees who asks), and the server left running in the background.
import { type ChildProcess, spawn } from "node:child_process";
import type { DemoContext } from "../demo-context.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string;
  /** Run as this uid/gid (the demo runs as root); default: the demo's own user. */
  as?: { uid: number; gid: number; name: string };
}

function cliArgs(args: string[]): string[] {
  return [process.argv[1] ?? "", ...args];
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, cliArgs(args), {
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      env: options.as ? { PATH: process.env.PATH ?? "", HOME: "/nonexistent", LANG: "C" } : process.env,
      ...(options.as ? { uid: options.as.uid, gid: options.as.gid } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", (error) => resolve({ code: null, stdout, stderr: `${stderr}${error.message}` }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** credential_process JSON as the narration may print it: the secret and the token cut to their first characters. */
function masked(text: string): string {
  return text.replace(/"(SecretAccessKey|SessionToken)":"([^"]{4})[^"]*"/g, '"$1":"$2…"');
}

/** Runs a command as the narration shows it (`shown`, secrets left out), prints its output, returns it. */
export async function showCli(
  demo: DemoContext,
  shown: string,
  args: string[],
  options: CliOptions = {},
): Promise<CliResult> {
  const result = await runCli(args, options);
  const prompt = options.as ? `${options.as.name}$` : "#";
  const lines = [
    ...masked(result.stdout).split("\n"),
    ...result.stderr.split("\n").map((l) => l && `(stderr) ${l}`),
  ];
  demo.transcript([`${prompt} ${shown}`, ...lines.filter((l) => l.trim() !== "")]);
  return result;
}

/** A long-running CLI process and a way to wait for its first line matching a pattern. */
export function startCli(args: string[]): {
  child: ChildProcess;
  ready: (pattern: RegExp) => Promise<string>;
} {
  const child = spawn(process.execPath, cliArgs(args), { stdio: ["ignore", "pipe", "pipe"] });
  let seen = "";
  child.stdout?.on("data", (c: Buffer) => (seen += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (seen += c.toString()));
  const ready = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = pattern.exec(seen);
        if (match) {
          clearInterval(timer);
          resolve(match[0]);
        }
      }, 50);
      child.once("exit", (code) => {
        clearInterval(timer);
        reject(new Error(`exited with ${code}: ${seen}`));
      });
    });
  return { child, ready };
}
