// Asks the user a question on their terminal, even when stdin and stdout are pipes or files.
// Inside `credential_process`, ssh's `ProxyCommand` or a shell pipe, stdout carries data (credential JSON, the
// ssh stream) and stdin/stderr may be captured, so prompts go straight to the controlling terminal through
// /dev/tty. Only when that cannot be opened (Windows, no /dev) do we fall back to stdin/stderr, and only when
// both are terminals themselves. Input is read in raw mode so that Ctrl-C arrives as a key we can answer with
// a clear error after restoring the terminal, rather than a signal that leaves it with echo switched off.
import { closeSync, openSync, writeSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { ReadStream } from "node:tty";
import { LineInput } from "./line-input.js";
import { NoTerminalError, PromptEndedError, PromptInterruptedError } from "./prompt-errors.js";

export const CONTROLLING_TERMINAL = "/dev/tty";

export interface TerminalOpenOptions {
  /** The device to open; the controlling terminal unless a test says otherwise. */
  ttyPath?: string;
  /** Fallback input when the device cannot be opened (process.stdin by default); used only if it is a TTY. */
  stdin?: NodeJS.ReadStream;
  /** Fallback output when the device cannot be opened (process.stderr by default); used only if it is a TTY. */
  stderr?: NodeJS.WriteStream;
}

export interface AskOptions {
  /** What is asked for, as the end of "cancelled while asking for …" ("the MFA code", "the vault passphrase"). */
  what: string;
  /** Show what is typed; false for secrets (nothing at all is shown, not even stars). Default true. */
  echo?: boolean;
}

/** A terminal we can talk to: where prompts and notices go, and where answers come from. */
export interface Terminal {
  /** Where this terminal was found: the device path, or "stdin/stderr" for the fallback. */
  readonly via: string;
  /** Writes text to the terminal at once (never to stdout). */
  write(text: string): void;
  /** Writes the question, reads one line (raw mode, our own line editing) and restores the terminal. */
  ask(question: string, options: AskOptions): Promise<string>;
  /** Releases the device; the terminal's mode is already restored after every ask. */
  close(): void;
}

/** Opens the user's terminal, or returns undefined when there is none. */
export function openTerminal(options: TerminalOpenOptions = {}): Terminal | undefined {
  const device = openDevice(options.ttyPath ?? CONTROLLING_TERMINAL);
  if (device) return device;
  const stdin = options.stdin ?? process.stdin;
  const stderr = options.stderr ?? process.stderr;
  if (stdin.isTTY && stderr.isTTY && stdin instanceof ReadStream) return new StdioTerminal(stdin, stderr);
  return undefined;
}

/**
 * Opens the user's terminal or throws "no terminal to ask for WHAT: WHEN_NONE" — the caller says what the
 * user can do instead (an MFA code has other sources; a passphrase has an environment variable).
 */
export function requireTerminal(what: string, whenNone: string, options: TerminalOpenOptions = {}): Terminal {
  const terminal = openTerminal(options);
  if (terminal) return terminal;
  throw new NoTerminalError(`no terminal to ask for ${what}: ${whenNone}`, {
    hint: "this process has no controlling terminal (cron, CI, a service) and stdin/stderr are not terminals",
  });
}

/** Asks one question on a terminal opened for the purpose, and closes it again. */
export async function askOnTerminal(
  question: string,
  options: AskOptions & { whenNoTerminal: string },
  openOptions: TerminalOpenOptions = {},
): Promise<string> {
  const terminal = requireTerminal(options.what, options.whenNoTerminal, openOptions);
  try {
    return await terminal.ask(question, options);
  } finally {
    terminal.close();
  }
}

/**
 * Tells the user something ("Touch your YubiKey…") on the terminal when there is one, else on stderr.
 * Never stdout: that may be the credential_process JSON or the ssh stream.
 */
export function writeNotice(text: string, options: TerminalOpenOptions = {}): void {
  let fd: number | undefined;
  try {
    fd = openSync(options.ttyPath ?? CONTROLLING_TERMINAL, "w");
  } catch {
    (options.stderr ?? process.stderr).write(text);
    return;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function openDevice(path: string): Terminal | undefined {
  let readFd: number;
  try {
    // ENXIO when the process has no controlling terminal; ENOENT where there is no /dev/tty at all.
    readFd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    // A separate blocking descriptor for output: libuv makes the input descriptor non-blocking.
    const writeFd = openSync(path, "w");
    return new DeviceTerminal(path, readFd, writeFd);
  } catch {
    closeSync(readFd);
    return undefined;
  }
}

class DeviceTerminal implements Terminal {
  private input: ReadStream | undefined;
  private closed = false;

  constructor(
    readonly via: string,
    private readonly readFd: number,
    private readonly writeFd: number,
  ) {}

  write(text: string): void {
    writeSync(this.writeFd, text);
  }

  ask(question: string, options: AskOptions): Promise<string> {
    // Created on first use: a stream on the descriptor is only needed to read, not to write notices.
    if (!this.input) {
      this.input = new ReadStream(this.readFd);
      // A terminal that hangs up between questions must not crash the process with an unhandled error.
      this.input.on("error", () => {});
    }
    return readLine(this.input, question, (text) => this.write(text), options);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.input)
      this.input.destroy(); // closes readFd with the stream's handle
    else closeSync(this.readFd);
    closeSync(this.writeFd);
  }
}

class StdioTerminal implements Terminal {
  readonly via = "stdin/stderr";

  constructor(
    private readonly input: ReadStream,
    private readonly output: NodeJS.WriteStream,
  ) {}

  write(text: string): void {
    this.output.write(text);
  }

  ask(question: string, options: AskOptions): Promise<string> {
    return readLine(this.input, question, (text) => this.write(text), options);
  }

  close(): void {
    // stdin belongs to the process: it is paused after each ask, never destroyed.
  }
}

// Node itself resets a raw terminal when SIGINT or SIGTERM end the process; SIGHUP it does not, and with our
// own listeners we also restore when another part of tobira has installed handlers that keep the process alive.
const RESTORE_ON_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Asks and reads one line from a terminal in raw mode. The previous mode is restored on every way out: a line,
 * Ctrl-C, Ctrl-D, a read error, a signal sent by another process, and process exit.
 */
function readLine(
  input: ReadStream,
  question: string,
  write: (text: string) => void,
  options: AskOptions,
): Promise<string> {
  const echo = options.echo ?? true;
  return new Promise<string>((resolve, reject) => {
    const wasRaw = input.isRaw;
    const decoder = new StringDecoder("utf8");
    const editor = new LineInput();

    const restoreMode = (): void => {
      try {
        if (input.isRaw !== wasRaw) input.setRawMode(wasRaw);
      } catch {
        // The terminal is gone (hung up): there is no mode left to restore.
      }
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      stop();
      // We took the signal only to restore the terminal; if no one else handles it, let it act as it would have.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    const stop = (): void => {
      input.off("data", onData);
      input.off("end", onEnd);
      input.off("error", onError);
      input.pause();
      restoreMode();
      for (const signal of RESTORE_ON_SIGNALS) process.off(signal, onSignal);
      process.off("exit", restoreMode);
    };
    const onData = (chunk: Buffer | string): void => {
      const step = editor.feed(typeof chunk === "string" ? chunk : decoder.write(chunk));
      if (echo && step.echo) write(step.echo);
      const outcome = step.outcome;
      if (!outcome) return;
      stop();
      write("\n"); // raw mode does not echo Enter; keep whatever is written next on its own line
      if (outcome.kind === "line") resolve(outcome.line);
      else if (outcome.kind === "interrupt") reject(new PromptInterruptedError(options.what));
      else reject(new PromptEndedError(options.what));
    };
    const onEnd = (): void => {
      stop();
      reject(new PromptEndedError(options.what));
    };
    const onError = (): void => onEnd();

    // Raw mode before the question: an answer typed the moment the question shows must not be echoed by the
    // terminal itself (a passphrase would appear on screen).
    input.setRawMode(true);
    write(question);
    for (const signal of RESTORE_ON_SIGNALS) process.on(signal, onSignal);
    process.on("exit", restoreMode);
    input.on("data", onData);
    input.on("end", onEnd);
    input.on("error", onError);
    input.resume();
  });
}
