// `tobira ssh-config [--profile P]`: registers the command; sessions/ssh/ prints ssh config Host blocks that
// send ssh through `tobira ssh-proxy`.
import type { Command } from "commander";
import * as profileOptions from "./profile-options.js";

export function register(program: Command): void {
  profileOptions
    .addCredentialFlags(
      program
        .command("ssh-config")
        .description("print ssh config Host blocks (i-*, mi-*, Name tags) that use tobira ssh-proxy")
        .option(...profileOptions.PROFILE_OPTION)
        .option("--command <command>", "how ssh should run tobira", "tobira"),
    )
    .addHelpText(
      "after",
      `
Examples:
  tobira ssh-config --profile project-a >> ~/.ssh/config
  ssh os-user1@web-a`,
    )
    .action(async (flags: profileOptions.SessionFlags & { command: string }) => {
      const { runSshConfig } = await import("../sessions/ssh/ssh-config-run.js");
      process.exitCode = await runSshConfig({
        ...profileOptions.sessionOptionsFrom(flags),
        command: flags.command,
      });
    });
}
