// `tobira targets [FILTER] [--profile P] [--json]`: the instances and managed nodes a session can go to.
import type { Command } from "commander";
import { addCredentialFlags, type CredentialFlags, credentialOptionsFrom } from "./profile-options.js";

export function register(program: Command): void {
  addCredentialFlags(
    program
      .command("targets")
      .description("list the instances and managed nodes a profile can open sessions on")
      .argument(
        "[filter]",
        "instance id, mi-… id, Name (wildcards * ?), tag:KEY=VALUE, private IP or DNS name",
      )
      .option("--profile <profile>", "profile in the AWS config file (default: $AWS_PROFILE, else default)")
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
    .action(
      async (filter: string | undefined, flags: CredentialFlags & { profile?: string; json?: boolean }) => {
        const { runTargets } = await import("../sessions/ssm/targets-run.js");
        process.exitCode = await runTargets({
          ...(flags.profile === undefined ? {} : { profile: flags.profile }),
          ...(filter === undefined ? {} : { filter }),
          json: flags.json === true,
          access: credentialOptionsFrom(flags),
        });
      },
    );
}
