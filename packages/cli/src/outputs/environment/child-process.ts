// Runs the command given after `--` (exec, exec --server, serve) with our terminal, passes SIGINT/SIGTERM/SIGHUP
// on, resolves its status.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { TobiraError } from "../../errors.js";

const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Resolves the child's exit code, or 128+N when signal N ended it (as shells report). */
export function runChild(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: "inherit", env });
    // A terminal's Ctrl-C reaches the child directly too (same process group); a `kill` aimed at tobira
    // (a supervisor, a CI runner) reaches only us, so we pass it on. A second SIGINT is harmless for shells.
    const forward = (signal: NodeJS.Signals) => () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const handlers = FORWARDED_SIGNALS.map((signal) => [signal, forward(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const stopForwarding = () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    };
    child.on("error", (error: NodeJS.ErrnoException) => {
      stopForwarding();
      reject(
        new TobiraError(
          error.code === "ENOENT"
            ? `command not found: ${file}`
            : `cannot run ${file}: ${error.code ?? error.message}`,
          { hint: "check the command after --, and PATH", exitCode: error.code === "ENOENT" ? 127 : 126 },
        ),
      );
    });
    child.on("exit", (code, signal) => {
      stopForwarding();
      resolve(signal !== null ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
    });
  });
}
