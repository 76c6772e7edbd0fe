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

Several arguments are quoted for the remote shell; a single one is taken as a command line.`;

export function register(program: Command): void {
  const command = profileOptions
    .sessionCommand(program, "run", DESCRIPTION)
    .argument("[command...]", "the command and its arguments, after --")
    .option(...profileOptions.PROFILE_OPTION)
    .option(
      "--document <name>",
      "document taking a `command` parameter (default: AWS-StartNonInteractiveCommand)",
    )
    .option("--reason <text>", "reason recorded with the session");
  profileOptions
    .withCredentialFlags(command, HELP)
    .action(async (target: string, command: string[], flags: profileOptions.SessionFlags) => {
      if (command.length === 0)
        throw new UsageError("no command to run", {
          hint: "give it after --: tobira run TARGET -- CMD ARGS…",
        });
      const { runCommand } = await import("../sessions/run/command-run.js");
      process.exitCode = await runCommand({ target, command, ...profileOptions.sessionOptionsFrom(flags) });
    });
}
