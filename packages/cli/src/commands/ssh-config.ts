// `tobira ssh-config [--profile P]`: prints ssh config Host blocks that send ssh through `tobira ssh-proxy`.
import type { Command } from "commander";
import { addCredentialFlags, type CredentialFlags, credentialOptionsFrom } from "./profile-options.js";

export function register(program: Command): void {
  addCredentialFlags(
    program
      .command("ssh-config")
      .description("print ssh config Host blocks (i-*, mi-*, Name tags) that use tobira ssh-proxy")
      .option("--profile <profile>", "profile in the AWS config file (default: $AWS_PROFILE, else default)")
      .option("--command <command>", "how ssh should run tobira", "tobira"),
  )
    .addHelpText(
      "after",
      `
Examples:
  tobira ssh-config --profile project-a >> ~/.ssh/config
  ssh os-user1@web-a`,
    )
    .action(async (flags: CredentialFlags & { profile?: string; command: string }) => {
      const { runSshConfig } = await import("../sessions/ssh/ssh-config-run.js");
      process.exitCode = await runSshConfig({
        ...(flags.profile === undefined ? {} : { profile: flags.profile }),
        command: flags.command,
        access: credentialOptionsFrom(flags),
      });
    });
}
