// `tobira shell TARGET [--profile P]`: registers the command; sessions/shell/ joins the terminal to a remote
// shell through Session Manager.
import type { Command } from "commander";
import * as profileOptions from "./profile-options.js";

const DESCRIPTION = "open a shell on an instance or managed node through Session Manager";

const HELP = `
Examples:
  tobira shell web-a --profile project-a
  tobira shell i-0a1a0000000000001 --profile project-a --reason "deploy check"
  echo 'uptime' | tobira shell web-a --profile project-a

Keys (Ctrl-C, Ctrl-Z, …) go to the remote shell; the session ends when the remote shell exits, and tobira exits
with its status where the agent reports it. KMS-encrypted sessions use the profile's own credentials.`;

export function register(program: Command): void {
  const command = profileOptions
    .sessionCommand(program, "shell", DESCRIPTION)
    .option(...profileOptions.PROFILE_OPTION)
    .option("--document <name>", "session document (default: SSM-SessionManagerRunShell)")
    .option("--reason <text>", "reason recorded with the session");
  profileOptions
    .withCredentialFlags(command, HELP)
    .action(async (target: string, flags: profileOptions.SessionFlags) => {
      const { runShell } = await import("../sessions/shell/shell-run.js");
      process.exitCode = await runShell({ target, ...profileOptions.sessionOptionsFrom(flags) });
    });
}
