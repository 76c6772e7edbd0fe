// `tobira ssh-proxy TARGET [PORT]`: the ProxyCommand of an ssh/scp connection. AWS-StartSSHSession carries the
// SSH bytes between stdin/stdout and the instance's sshd (stream mode, ssm-protocol.md §7.5). Nothing but SSH
// bytes may reach stdout; every line for the user goes to stderr, and MFA prompts to /dev/tty (the credential
// core's terminal driver), as ssh owns both pipes.

import { UsageError } from "../../errors.js";
import { sshDocument } from "../port/port-mappings.js";
import { startPortSession } from "../port/resumable-port-session.js";
import { SessionAccess } from "../port/session-access.js";
import { chosenProfile, type ProfileAccessOptions } from "../ssm/profile-access.js";

export interface SshProxyOptions {
  /** %h: an instance id, mi-… id or Name tag. */
  target: string;
  /** %p, default 22. */
  port?: string;
  profile?: string;
  access?: ProfileAccessOptions;
  stdin?: NodeJS.ReadableStream & import("node:stream").Readable;
  stdout?: NodeJS.WritableStream & import("node:stream").Writable;
  stderr?: NodeJS.WritableStream;
}

/** How long, after ssh closed our stdin, the last bytes may take to be acknowledged by the agent. */
const FLUSH_MS = 10_000;

export function sshPort(text: string | undefined): number {
  if (text === undefined) return 22;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : 0;
  if (port < 1 || port > 65535)
    throw new UsageError(`'${text}' is not a TCP port`, {
      hint: "give the SSH port (ssh passes it as %p), e.g. 22",
    });
  return port;
}

export async function runSshProxy(options: SshProxyOptions): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const tell = (line: string) => stderr.write(`tobira: ${line}\n`);
  const port = sshPort(options.port);
  // ssh ignores SIGPIPE on its side; a closed stdout must not kill us with an unhandled error.
  stdout.on("error", () => {});

  const access = await SessionAccess.open(chosenProfile(options.profile), {
    ...options.access,
    notice: tell,
  });
  try {
    // No terminal to choose on: several matches are an error naming them.
    const target = await access.target(options.target, { interactive: false });
    const session = await startPortSession(
      access,
      { target: target.id, ...sshDocument(port) },
      { notice: tell },
    );
    let signalled = false;
    const onSignal = () => {
      signalled = true;
      void session.terminate();
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGHUP", onSignal);
    process.once("SIGINT", onSignal);
    try {
      await session.ready;
      const inputDone = session.port.attachStdio(stdin, stdout).then(async () => {
        // ssh is done writing: let the agent acknowledge the last bytes (an scp upload's tail), then end.
        await session.port.channel.flush(FLUSH_MS);
        return "input-ended" as const;
      });
      const winner = await Promise.race([inputDone, session.ended]);
      if (winner === "input-ended") {
        await session.terminate();
        return 0;
      }
      await new Promise<void>((resolve) => stdout.write("", () => resolve()));
      if (winner.failure !== undefined && !signalled) throw winner.failure;
      return signalled ? 143 : 0;
    } finally {
      process.off("SIGTERM", onSignal);
      process.off("SIGHUP", onSignal);
      process.off("SIGINT", onSignal);
    }
  } finally {
    access.close();
  }
}
