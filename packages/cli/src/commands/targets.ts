// `tobira targets [FILTER] [--profile P] [--json]`: registers the command; sessions/ssm/targets-run.ts lists the
// instances and managed nodes a session can go to.
import type { Command } from "commander";
import * as profileOptions from "./profile-options.js";

export function register(program: Command): void {
  profileOptions
    .addCredentialFlags(
      program
        .command("targets")
        .description("list the instances and managed nodes a profile can open sessions on")
        .argument(
          "[filter]",
          "instance id, mi-… id, Name (wildcards * ?), tag:KEY=VALUE, private IP or DNS name",
        )
        .option(...profileOptions.PROFILE_OPTION)
        .option("--json", "print JSON (id, name, state, pingStatus, platform, project, addresses, tags)"),
    )
    .addHelpText(
      "after",
      `
Examples:
  tobira targets --profile project-a
  tobira targets 'web-*' --profile project-a
  tobira targets tag:Project=project-a --json`,
    )
    .action(async (filter: string | undefined, flags: profileOptions.SessionFlags & { json?: boolean }) => {
      const { runTargets } = await import("../sessions/ssm/targets-run.js");
      process.exitCode = await runTargets({
        ...profileOptions.sessionOptionsFrom(flags),
        ...(filter === undefined ? {} : { filter }),
        json: flags.json === true,
      });
    });
}
