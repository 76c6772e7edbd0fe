// `tobira run TARGET [--profile P] -- CMD…`: registers the command; sessions/run/ runs one command on an
// instance and keeps its stdout, stderr and exit status.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import * as profileOptions from "./profile-options.js";

const DESCRIPTION =
  "run one command on an instance through Session Manager (stdout, stderr and exit code kept)";

const HELP = `
Examples:
  tobira run web-a --profile project-a -- uptime
  tobira run web-a --profile project-a -- sh -c 'df -h; exit 3'; echo $?

Several arguments are quoted for the remote shell; a single one is taken as a command line.

AWS-StartNonInteractiveCommand gives the command no stdin: piped input is refused unless --tty types it into a
terminal session (AWS-StartInteractiveCommand: echoed, stderr joins stdout, no exit status) or -n leaves it.
A pipe that ends empty at once (as scripts often hand one) is no input.
  printf 'a\\nb\\n' | tobira run --tty web-a --profile project-a -- sort`;

interface RunFlags extends profileOptions.SessionFlags {
  tty?: boolean;
  ignoreStdin?: boolean;
}

export function register(program: Command): void {
  const command = profileOptions
    .sessionCommand(program, "run", DESCRIPTION)
    .argument("[command...]", "the command and its arguments, after --")
    .option(...profileOptions.PROFILE_OPTION)
    .option(
      "--document <name>",
      "document taking a `command` parameter (default: AWS-StartNonInteractiveCommand)",
    )
    .option("--reason <text>", "reason recorded with the session")
    .option("-t, --tty", "run in a terminal (AWS-StartInteractiveCommand); piped stdin is typed into it")
    .option("-n, --ignore-stdin", "run without stdin, as ssh -n (piped input is otherwise refused)");
  profileOptions
    .withCredentialFlags(command, HELP)
    .action(async (target: string, command: string[], flags: RunFlags) => {
      if (command.length === 0)
        throw new UsageError("no command to run", {
          hint: "give it after --: tobira run TARGET -- CMD ARGS…",
        });
      // Before credentials or a session: input the session cannot carry is refused, not dropped.
      const { runMode, INTERACTIVE_DOCUMENT } = await import("../sessions/run/run-mode.js");
      const { stdinKindForRun } = await import("../sessions/run/stdin-kind.js");
      const session = profileOptions.sessionOptionsFrom(flags);
      if (runMode(flags, await stdinKindForRun(flags)) === "terminal") {
        const { runShell } = await import("../sessions/shell/shell-run.js");
        const { remoteCommandLine } = await import("../sessions/run/remote-command.js");
        process.exitCode = await runShell({
          target,
          ...session,
          documentName: session.documentName ?? INTERACTIVE_DOCUMENT,
          parameters: { command: [remoteCommandLine(command)] },
        });
        return;
      }
      const { runCommand } = await import("../sessions/run/command-run.js");
      process.exitCode = await runCommand({ target, command, ...session });
    });
}
