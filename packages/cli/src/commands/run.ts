// `tobira run TARGET [--profile P] -- CMD…`: one command on an instance, its stdout, stderr and exit status.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { addCredentialFlags, type CredentialFlags, credentialOptionsFrom } from "./profile-options.js";

interface RunFlags extends CredentialFlags {
  profile?: string;
  document?: string;
  reason?: string;
}

export function register(program: Command): void {
  addCredentialFlags(
    program
      .command("run")
      .description(
        "run one command on an instance through Session Manager (stdout, stderr and exit code kept)",
      )
      .argument("<target>", "instance id, mi-… id, Name tag, tag:KEY=VALUE, private IP or private DNS name")
      .argument("[command...]", "the command and its arguments, after --")
      .option("--profile <profile>", "profile in the AWS config file (default: $AWS_PROFILE, else default)")
      .option(
        "--document <name>",
        "document taking a `command` parameter (default: AWS-StartNonInteractiveCommand)",
      )
      .option("--reason <text>", "reason recorded with the session"),
  )
    .addHelpText(
      "after",
      `
Examples:
  tobira run web-a --profile project-a -- uptime
  tobira run web-a --profile project-a -- sh -c 'df -h; exit 3'; echo $?

Several arguments are quoted for the remote shell; a single one is taken as a command line.`,
    )
    .action(async (target: string, command: string[], flags: RunFlags) => {
      if (command.length === 0)
        throw new UsageError("no command to run", {
          hint: "give it after --: tobira run TARGET -- CMD ARGS…",
        });
      const { runCommand } = await import("../sessions/run/command-run.js");
      process.exitCode = await runCommand({
        target,
        command,
        ...(flags.profile === undefined ? {} : { profile: flags.profile }),
        ...(flags.document === undefined ? {} : { documentName: flags.document }),
        ...(flags.reason === undefined ? {} : { reason: flags.reason }),
        access: credentialOptionsFrom(flags),
      });
    });
}
