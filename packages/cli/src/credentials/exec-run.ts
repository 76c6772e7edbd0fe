// What `tobira exec PROFILE [-- CMD…]` does: refuse to nest, resolve, run the child, pass signals on, return its status.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { TobiraError } from "../errors.js";
import { NestedExecError } from "./errors.js";
import { execEnvironment, NESTING_VARIABLE } from "./exec-environment.js";
import { credentialsForProfile, type ProfileCredentialOptions } from "./profile-credentials.js";

const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export async function runExec(
  profile: string,
  command: string[],
  options: ProfileCredentialOptions & { force: boolean },
): Promise<number> {
  const env = options.env ?? process.env;
  const outer = env[NESTING_VARIABLE];
  if (outer !== undefined && outer !== "" && !options.force) {
    throw new NestedExecError(`already inside \`tobira exec\` for profile '${outer}'`, {
      hint: "leave that shell first (exit), or pass --force to nest anyway",
    });
  }
  const result = await credentialsForProfile(profile, options);
  const childEnv = execEnvironment(env, {
    profile,
    credentials: result.credentials,
    ...(result.region === undefined ? {} : { region: result.region }),
    ...(result.endpointUrl === undefined ? {} : { endpointUrl: result.endpointUrl }),
  });
  const [file, ...args] = command.length > 0 ? command : [env.SHELL || "/bin/sh"];
  return runChild(file!, args, childEnv);
}

/** Runs the child with our terminal; a signal sent to tobira goes on to the child; resolves its exit status. */
function runChild(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
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
      if (signal !== null) resolve(128 + (constants.signals[signal] ?? 0));
      else resolve(code ?? 1);
    });
  });
}
