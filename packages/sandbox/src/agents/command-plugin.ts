// NonInteractiveCommands (AWS-StartNonInteractiveCommand): the command without a terminal, stdout as Output and
// stderr as StdErr frames (separateOutputStream), control bytes in the input turned into signals (§7.1).

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { OutputPump } from "./output-pump.js";
import { sessionEnvironment } from "./run-as.js";
import {
  linuxProperties,
  missingCommandsRefusal,
  type PluginContext,
  type RunningPlugin,
  type SessionPlugin,
  signalExitCode,
} from "./session-plugin.js";

/** Bytes the agent turns into signals for a command without a terminal. */
const CONTROL_SIGNALS: Record<number, NodeJS.Signals> = { 3: "SIGINT", 28: "SIGQUIT", 26: "SIGTSTP" };

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone.
  }
}

function start(context: PluginContext): RunningPlugin {
  const { identity, options, channel } = context;
  const linux = linuxProperties(context.session);
  const separate = linux.separateOutputStream !== false;
  const child = spawn(options.commandShell, ["-c", String(linux.commands)], {
    cwd: existsSync(identity.home) ? identity.home : "/",
    env: sessionEnvironment(identity),
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so signals and a stop reach what the command started too.
    detached: true,
    ...(identity.uid === undefined ? {} : { uid: identity.uid, gid: identity.gid }),
  });
  const pumpFor = (stream: NodeJS.ReadableStream, toStderr: boolean) => {
    const pump = new OutputPump({
      send: (bytes) => (toStderr ? channel.writeStderr(bytes) : channel.write(bytes)),
      record: context.record,
      pause: () => stream.pause(),
      resume: () => stream.resume(),
      frameBytes: context.frameBytes,
    });
    stream.on("data", (chunk: Buffer) => pump.push(chunk));
    return pump;
  };
  const stdout = pumpFor(child.stdout!, false);
  const stderr = pumpFor(child.stderr!, separate);
  const exited = new Promise<number>((resolve) => {
    child.on("error", (error) => {
      stderr.push(Buffer.from(`${options.commandShell}: ${error.message}\n`));
      void Promise.all([stdout.finish(), stderr.finish()]).then(() => resolve(127));
    });
    child.on("close", (code, signal) => {
      void Promise.all([stdout.finish(), stderr.finish()]).then(() =>
        resolve(code ?? signalExitCode(signal)),
      );
    });
  });
  return {
    input(bytes) {
      for (const byte of bytes) {
        const signal = CONTROL_SIGNALS[byte];
        if (signal !== undefined) signalGroup(child, signal);
      }
    },
    resize: () => {},
    flag: () => {},
    exited,
    stop() {
      signalGroup(child, "SIGTERM");
      const force = setTimeout(() => signalGroup(child, "SIGKILL"), 2000);
      void exited.finally(() => clearTimeout(force));
    },
  };
}

export const nonInteractiveCommandPlugin: SessionPlugin = {
  refusal: missingCommandsRefusal,
  start,
};
