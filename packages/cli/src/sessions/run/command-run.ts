// `tobira run`: one command through AWS-StartNonInteractiveCommand — remote stdout to stdout, remote stderr to
// stderr, and the remote exit status as tobira's own.

import { type OutputStreams, outputStreams } from "../ssm/output-streams.js";
import { openTargetSession, type TargetSessionOptions } from "../ssm/target-session.js";
import { remoteCommandLine } from "./remote-command.js";

export const NON_INTERACTIVE_DOCUMENT = "AWS-StartNonInteractiveCommand";

export interface CommandRunOptions
  extends Omit<TargetSessionOptions, "documentName" | "parameters">,
    OutputStreams {
  /** The argv after `--`. */
  command: string[];
  /** Default AWS-StartNonInteractiveCommand; another document taking a `command` parameter also works. */
  documentName?: string;
}

export async function runCommand(options: CommandRunOptions): Promise<number> {
  const { stdout, stderr } = outputStreams(options);
  const { access, session } = await openTargetSession(
    {
      ...options,
      documentName: options.documentName ?? NON_INTERACTIVE_DOCUMENT,
      parameters: { command: [remoteCommandLine(options.command)] },
    },
    {
      onOutput: (bytes) => stdout.write(bytes),
      onStderr: (bytes) => stderr.write(bytes),
    },
  );
  const cleanups: (() => void)[] = [];
  try {
    // Ctrl-C once: the agent turns 0x03 into SIGINT for the command (§7.1). Twice: end the session here.
    let interrupts = 0;
    let signalled: number | undefined;
    const ending = new Promise<void>((resolve) => {
      const onInterrupt = (): void => {
        interrupts += 1;
        if (interrupts === 1) {
          session.channel.sendInput(Uint8Array.of(0x03)).catch(() => {});
          return;
        }
        signalled = 130;
        resolve();
      };
      const onTerminate = (): void => {
        signalled = 143;
        resolve();
      };
      process.on("SIGINT", onInterrupt);
      process.on("SIGTERM", onTerminate);
      process.on("SIGHUP", onTerminate);
      cleanups.push(() => {
        process.off("SIGINT", onInterrupt);
        process.off("SIGTERM", onTerminate);
        process.off("SIGHUP", onTerminate);
      });
    });
    const info = await Promise.race([session.ready, ending.then(() => undefined)]);
    // The gateway's customer message ("This session is encrypted using AWS KMS.") is for the user, not the pipe.
    if (info?.customerMessage) stderr.write(`${info.customerMessage}\n`);
    const outcome = await Promise.race([session.ended, ending.then(() => undefined)]);
    await session.terminate();
    if (outcome === undefined) return signalled ?? 1;
    if (outcome.failure) throw outcome.failure;
    // The agent reports EXIT_CODE for non-interactive commands; without it all we know is that it ended.
    return outcome.exitCode ?? 0;
  } catch (error) {
    await session.terminate();
    throw error;
  } finally {
    for (const cleanup of cleanups) cleanup();
    access.close();
  }
}
