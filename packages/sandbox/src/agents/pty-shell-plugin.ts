// Standard_Stream and InteractiveCommands: a real shell (or the document's command) in a pseudo-terminal,
// as the Run As user, with the preferences' shell profile typed in at start as the agent does.

import { existsSync } from "node:fs";
import * as pty from "node-pty";
import { OutputPump } from "./output-pump.js";
import { sessionEnvironment } from "./run-as.js";
import {
  linuxProperties,
  missingCommandsRefusal,
  type PluginContext,
  type RunningPlugin,
  type SessionPlugin,
} from "./session-plugin.js";

/**
 * Input still queued for a terminal that is being stopped is moot, but node-pty would log "Unhandled pty write
 * error" for each chunk once the terminal's descriptor closes (a stalled shell behind a vanished client).
 * node-pty has no public way to drop it, hence the guarded look at its private queue.
 */
function dropQueuedInput(term: pty.IPty): void {
  const stream = (term as unknown as { _writeStream?: { _writeQueue?: unknown; dispose?: () => void } })
    ._writeStream;
  if (Array.isArray(stream?._writeQueue)) stream._writeQueue.length = 0;
  if (typeof stream?.dispose === "function") stream.dispose(); // cancels a pending retry after EAGAIN
}

function startPty(context: PluginContext, file: string, args: string[], profile: string): RunningPlugin {
  const { identity, options, channel } = context;
  const term = pty.spawn(file, args, {
    name: "xterm-256color",
    cols: options.initialSize.cols,
    rows: options.initialSize.rows,
    cwd: existsSync(identity.home) ? identity.home : "/",
    env: sessionEnvironment(identity, { TERM: "xterm-256color" }),
    encoding: null,
    ...(identity.uid === undefined ? {} : { uid: identity.uid, gid: identity.gid }),
  });
  const pump = new OutputPump({
    send: (bytes) => channel.write(bytes),
    record: context.record,
    // While the channel cannot take more output, the shell cannot be fed either: input stays unacknowledged
    // and the client resends it later, as the real agent's blocked pty loop behaves (§4.4 "not ready").
    pause: () => {
      term.pause();
      channel.acceptInput(false);
    },
    resume: () => {
      term.resume();
      channel.acceptInput(true);
    },
    frameBytes: context.frameBytes,
  });
  // node-pty hands Buffers when `encoding` is null; its typings still say string.
  term.onData((data: string | Buffer) => pump.push(typeof data === "string" ? Buffer.from(data) : data));
  // Once the shell has exited its descriptor is closed: a write would fail with EBADF and node-pty would log
  // "Unhandled pty write error" for it. Input arriving after that (a client still typing) is dropped quietly.
  let shellGone = false;
  const exited = new Promise<number>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      shellGone = true;
      dropQueuedInput(term);
      void pump.finish().then(() => resolve(signal ? 128 + signal : exitCode));
    });
  });
  if (profile.trim() !== "") term.write(`${profile}\n`);
  let stopped = false;
  return {
    input: (bytes) => {
      if (!stopped && !shellGone) term.write(Buffer.from(bytes));
    },
    resize: ({ cols, rows }) => {
      if (cols > 0 && rows > 0 && !stopped && !shellGone) term.resize(cols, rows);
    },
    flag: () => {},
    exited,
    stop() {
      if (stopped) return;
      stopped = true;
      dropQueuedInput(term);
      try {
        term.kill("SIGHUP");
      } catch {
        // Already gone.
      }
      // A shell that ignores SIGHUP still has to go.
      const force = setTimeout(() => {
        try {
          term.kill("SIGKILL");
        } catch {
          // Already gone.
        }
      }, 2000);
      void exited.finally(() => clearTimeout(force));
    },
  };
}

/** SSM-SessionManagerRunShell (Standard_Stream): the agent's shell, then the shell profile. */
export const shellPlugin: SessionPlugin = {
  start: (context) =>
    startPty(context, context.options.shell, [], context.session.preferences.shellProfile.linux),
};

/** AWS-StartInteractiveCommand (InteractiveCommands): the command in a terminal; its end ends the session. */
export const interactiveCommandPlugin: SessionPlugin = {
  refusal: missingCommandsRefusal,
  start(context) {
    const commands = String(linuxProperties(context.session).commands);
    return startPty(context, context.options.commandShell, ["-c", commands], "");
  },
};
