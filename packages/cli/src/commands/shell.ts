// `tobira shell TARGET [--profile P]`: an interactive shell on an instance through Session Manager.
import type { Command } from "commander";
import { addCredentialFlags, type CredentialFlags, credentialOptionsFrom } from "./profile-options.js";

interface ShellFlags extends CredentialFlags {
  profile?: string;
  document?: string;
  reason?: string;
}

export function register(program: Command): void {
  addCredentialFlags(
    program
      .command("shell")
      .description("open a shell on an instance or managed node through Session Manager")
      .argument("<target>", "instance id, mi-… id, Name tag, tag:KEY=VALUE, private IP or private DNS name")
      .option("--profile <profile>", "profile in the AWS config file (default: $AWS_PROFILE, else default)")
      .option("--document <name>", "session document (default: SSM-SessionManagerRunShell)")
      .option("--reason <text>", "reason recorded with the session"),
  )
    .addHelpText(
      "after",
      `
Examples:
  tobira shell web-a --profile project-a
  tobira shell i-0a1a0000000000001 --profile project-a --reason "deploy check"
  echo 'uptime' | tobira shell web-a --profile project-a

Keys (Ctrl-C, Ctrl-Z, …) go to the remote shell; the session ends when the remote shell exits, and tobira exits
with its status where the agent reports it. KMS-encrypted sessions use the profile's own credentials.`,
    )
    .action(async (target: string, flags: ShellFlags) => {
      const { runShell } = await import("../sessions/shell/shell-run.js");
      process.exitCode = await runShell({
        target,
        ...(flags.profile === undefined ? {} : { profile: flags.profile }),
        ...(flags.document === undefined ? {} : { documentName: flags.document }),
        ...(flags.reason === undefined ? {} : { reason: flags.reason }),
        access: credentialOptionsFrom(flags),
      });
    });
}
