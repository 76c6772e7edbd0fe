// The OpenSSH client as `tobira cp` runs it: the user's own ssh (keys, agent, config, known_hosts), pointed at
// tobira's loopback end of the striped sessions instead of at the instance.
//
// `ssh -G` first says what the user's config makes of the host (its HostName, Port, HostKeyAlias), so the
// session goes to that host and port and the host key is checked under the name ssh would have used. Then each
// command is `ssh -o ProxyCommand=none -o HostName=127.0.0.1 -o Port=LOCAL -o HostKeyAlias=… HOST CMD`: the
// first value of an option wins in ssh, so ours come before the user's -o and the config file's.
import { spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { TobiraError, UsageError } from "../../errors.js";

export interface SshSettings {
  /** `ssh` unless TOBIRA_SSH names another client. */
  program: string;
  /** -F, -i and -o as the user gave them, passed to every ssh. */
  userArgs: string[];
  /** `user@host` or `host` as typed. */
  destination: string;
}

export interface ResolvedHost {
  /** The session's target: the config's HostName for the host (or the host as typed). */
  hostname: string;
  /** The sshd port on the instance. */
  port: number;
  /** The known_hosts name ssh would check the host key under. */
  hostKeyAlias: string;
}

export interface SshResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What the user's ssh config says about the host (`ssh -G`). */
export async function resolveSshHost(settings: SshSettings): Promise<ResolvedHost> {
  const result = await runSsh(settings.program, ["-G", ...settings.userArgs, settings.destination], {});
  if (result.code !== 0) {
    throw new UsageError(
      `ssh -G ${settings.destination} failed: ${lastLine(result.stderr) || `exit ${result.code}`}`,
      {
        hint: "check the -F, -i and -o options; tobira cp needs OpenSSH's ssh (6.8 or later) on PATH or in TOBIRA_SSH",
      },
    );
  }
  const values = new Map<string, string>();
  for (const line of result.stdout.split("\n")) {
    const space = line.indexOf(" ");
    if (space > 0 && !values.has(line.slice(0, space)))
      values.set(line.slice(0, space), line.slice(space + 1));
  }
  const hostname = values.get("hostname") ?? settings.destination.replace(/^.*@/, "");
  const port = Number(values.get("port") ?? "22");
  const alias = values.get("hostkeyalias");
  return {
    hostname,
    port,
    hostKeyAlias: alias && alias !== "none" ? alias : port === 22 ? hostname : `[${hostname}]:${port}`,
  };
}

/** The arguments of one ssh through the loopback end at `localPort`, running `command` on the instance. */
export function sshArgs(
  settings: SshSettings,
  host: ResolvedHost,
  localPort: number,
  command: string,
): string[] {
  return [
    "-o",
    "ProxyCommand=none",
    "-o",
    "HostName=127.0.0.1",
    "-o",
    `Port=${localPort}`,
    "-o",
    `HostKeyAlias=${host.hostKeyAlias}`,
    // N parallel prompts for a passphrase cannot work: keys come from ssh-agent or unencrypted files.
    "-o",
    "BatchMode=yes",
    ...settings.userArgs,
    settings.destination,
    command,
  ];
}

export interface SshStreams {
  /** Piped to ssh's stdin (its end ends the remote command's input); else stdin is empty. */
  input?: Readable;
  /** Where ssh's stdout goes; else it is collected into `stdout`. */
  output?: Writable;
}

/** Runs ssh to its end; never rejects on a non-zero exit (the caller reports `code` and `stderr`). */
export function runSsh(program: string, args: readonly string[], streams: SshStreams): Promise<SshResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    // A local write that fails (a full disk) stops this ssh and is the answer; left unheard, the stream's
    // error would end the whole process before the temporary file and the sessions are cleaned up.
    let writeError: NodeJS.ErrnoException | undefined;
    if (streams.output) {
      streams.output.on("error", (error: NodeJS.ErrnoException) => {
        writeError ??= error;
        child.stdout.unpipe();
        child.kill("SIGTERM");
      });
      child.stdout.pipe(streams.output, { end: false });
    } else
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
      });
    child.stdin.on("error", () => {});
    if (streams.input) streams.input.pipe(child.stdin);
    else child.stdin.end();
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new UsageError(`cannot run ${program}: not found`, {
              hint: "install the OpenSSH client, or name it in TOBIRA_SSH",
            })
          : error,
      ),
    );
    child.on("close", (code) =>
      writeError ? reject(localWriteError(writeError)) : resolve({ code, stdout, stderr }),
    );
  });
}

function localWriteError(error: NodeJS.ErrnoException): TobiraError {
  const why = error.code === "ENOSPC" ? "no space left on device" : (error.code ?? error.message);
  return new TobiraError(`cannot write the copy on this machine: ${why}`, {
    hint:
      error.code === "ENOSPC"
        ? "free some space or copy to another disk; nothing was left at the destination"
        : "check the destination's folder and permissions; nothing was left at the destination",
    cause: error,
  });
}

export function lastLine(text: string): string {
  return text.trim().split("\n").at(-1)?.trim() ?? "";
}

/**
 * A hint for what ssh itself said when it could not get to the command (OpenSSH's own words, matched on their
 * stable parts), or undefined when the failure was the command's. Host keys are checked under `hostKeyAlias`.
 */
export function sshFailureHint(stderr: string, host: ResolvedHost): string | undefined {
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr))
    return `ssh does not know the instance's host key under the name ${host.hostKeyAlias}: add it to your known_hosts under that name, or name the file that has it (-o UserKnownHostsFile=FILE)`;
  if (/Permission denied \(/.test(stderr))
    return "ssh could not log in: give the instance's user (user@host), and a key from ssh-agent or -i FILE (no passphrase prompt: the parts run at once)";
  if (/Connection closed by|Connection reset by|kex_exchange_identification/.test(stderr))
    return "the instance's sshd closed the connection: is sshd running on the instance, on the port your ssh config names?";
  return undefined;
}
