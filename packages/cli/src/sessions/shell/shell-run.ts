// `tobira shell`: joins the local terminal to a remote shell session — raw mode, window size, keys and
// signals as bytes to the remote pty, output back — and returns the remote shell's status where known.
import type { ClientDataChannel } from "@tobira/session";
import type { SessionOutcome } from "../ssm/open-session.js";
import { type OutputStreams, outputStreams } from "../ssm/output-streams.js";
import { openTargetSession, type TargetSessionOptions } from "../ssm/target-session.js";
import { PipedInputEnd } from "./piped-input-end.js";
import { enterRawMode } from "./raw-mode.js";
import { currentSize, watchSize } from "./terminal-size.js";

/** What signals become on the remote pty when they reach us (stdin not a terminal): §7.1's bytes. */
const SIGNAL_BYTES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 0x03, SIGQUIT: 0x1c, SIGTSTP: 0x1a };
/** Signals that end the session here (TerminateSession) and tobira with 128+N. */
const ENDING_SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGTERM: 15, SIGHUP: 1 };

export interface ShellRunOptions extends TargetSessionOptions, OutputStreams {
  stdin?: NodeJS.ReadStream;
}

export async function runShell(options: ShellRunOptions): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const { stdout, stderr } = outputStreams(options);
  // Set once the channel exists; output seen before that needs no Ctrl-D anyway.
  let inputEnd: PipedInputEnd | undefined;
  const { access, session } = await openTargetSession(options, {
    onOutput: (bytes) => {
      stdout.write(bytes);
      inputEnd?.outputSeen();
    },
    onStderr: (bytes) => stderr.write(bytes),
  });
  // Undone in reverse order of setting up, before anything more is printed: raw mode first of all.
  const cleanups = new Cleanups();
  try {
    stderr.write(`\nStarting session with SessionId: ${session.sessionId}\n`);
    // Until the shell is there, Ctrl-C (no raw mode yet) or a termination ends the session, not just tobira.
    const early = onceSignalled(["SIGINT", "SIGTERM", "SIGHUP"]);
    const info = await Promise.race([session.ready, early.signalled]).finally(early.dispose);
    if (info === undefined) {
      await session.terminate();
      return 130;
    }
    if (info.customerMessage) stderr.write(`${info.customerMessage}\n`);
    inputEnd = await joinTerminal(session.channel, stdin, stdout, cleanups);
    const ending = passSignals(session.channel, cleanups);
    const outcome: SessionOutcome | undefined = await Promise.race([
      session.ended,
      ending.ended.then(() => undefined),
    ]);
    cleanups.run();
    await session.terminate();
    if (outcome === undefined) return ending.signalled() ?? 1;
    if (outcome.failure) throw outcome.failure;
    stderr.write(`\nExiting session with sessionId: ${session.sessionId}.\n\n`);
    return outcome.exitCode ?? 0;
  } catch (error) {
    cleanups.run();
    await session.terminate();
    throw error;
  } finally {
    cleanups.run();
    access.close();
  }
}

/** What to undo when the session ends, run newest first, once. */
class Cleanups {
  private readonly steps: (() => void)[] = [];
  add(step: () => void): void {
    this.steps.unshift(step);
  }
  run(): void {
    for (const step of this.steps.splice(0)) step();
  }
}

/**
 * The local terminal joined to the remote pty: raw mode, the window size (and its changes), keys as bytes, and
 * piped input whose end is a Ctrl-D on the remote pty (so the shell ends as it would at a terminal).
 */
async function joinTerminal(
  channel: ClientDataChannel,
  stdin: NodeJS.ReadStream,
  stdout: NodeJS.WriteStream,
  cleanups: Cleanups,
): Promise<PipedInputEnd> {
  const raw = enterRawMode(stdin);
  cleanups.add(() => raw.restore());
  const size = currentSize(stdout);
  await channel.resize(size.cols, size.rows);
  cleanups.add(watchSize((next) => void channel.resize(next.cols, next.rows).catch(() => {}), stdout));
  // Keys: in raw mode Ctrl-C, Ctrl-Z and Ctrl-\ arrive here as bytes and go to the remote pty unchanged.
  const onData = (chunk: Buffer): void => {
    stdin.pause(); // back-pressure: read on once the core has queued this chunk
    channel
      .sendInput(chunk)
      .catch(() => {})
      .finally(() => stdin.resume());
  };
  const pipedEnd = new PipedInputEnd((bytes) => sendBytes(channel, bytes));
  cleanups.add(() => pipedEnd.stop());
  const onEnd = (): void => pipedEnd.inputEnded();
  stdin.on("data", onData);
  stdin.on("end", onEnd);
  stdin.resume();
  cleanups.add(() => {
    stdin.off("data", onData);
    stdin.off("end", onEnd);
    stdin.pause();
  });
  return pipedEnd;
}

function sendBytes(channel: ClientDataChannel, bytes: Uint8Array): void {
  channel.sendInput(bytes).catch(() => {}); // a closed channel ends the session
}

/**
 * Without raw mode (stdin not a terminal) the terminal driver still turns keys into signals: they are passed on
 * as bytes. SIGTERM and SIGHUP end the session here: `ended` resolves, and `signalled()` is the status to exit with.
 */
function passSignals(
  channel: ClientDataChannel,
  cleanups: Cleanups,
): { ended: Promise<void>; signalled: () => number | undefined } {
  let signalled: number | undefined;
  const ended = new Promise<void>((resolve) => {
    for (const [signal, byte] of Object.entries(SIGNAL_BYTES) as [NodeJS.Signals, number][]) {
      const listener = (): void => sendBytes(channel, Uint8Array.of(byte));
      process.on(signal, listener);
      cleanups.add(() => process.off(signal, listener));
    }
    for (const [signal, number] of Object.entries(ENDING_SIGNALS) as [NodeJS.Signals, number][]) {
      const listener = (): void => {
        signalled = 128 + number;
        resolve();
      };
      process.on(signal, listener);
      cleanups.add(() => process.off(signal, listener));
    }
  });
  return { ended, signalled: () => signalled };
}

/** Resolves (with undefined) on the first of these signals; dispose() removes the listeners. */
function onceSignalled(signals: NodeJS.Signals[]): { signalled: Promise<undefined>; dispose: () => void } {
  const listeners: [NodeJS.Signals, () => void][] = [];
  const signalled = new Promise<undefined>((resolve) => {
    for (const signal of signals) {
      const listener = (): void => resolve(undefined);
      listeners.push([signal, listener]);
      process.on(signal, listener);
    }
  });
  return {
    signalled,
    dispose: () => {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    },
  };
}
