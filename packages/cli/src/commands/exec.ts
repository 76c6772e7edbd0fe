// `tobira exec PROFILE [-- CMD…]`: run a command (or the user's shell) with the profile's temporary credentials.
import type { Command } from "commander";
import {
  addCredentialFlags,
  type CredentialFlags,
  credentialOptionsFrom,
} from "../credentials/command-options.js";

export function register(program: Command): void {
  addCredentialFlags(
    program
      .command("exec")
      .description("run a command with a profile's temporary credentials in its environment")
      .argument("<profile>", "profile name in the AWS config file")
      .argument("[command...]", "the command and its arguments, after -- (default: your $SHELL)")
      .option("--force", "run even inside another `tobira exec` (nesting)"),
  )
    .addHelpText(
      "after",
      `
Examples:
  tobira exec switch -- aws sts get-caller-identity
  tobira exec project-a -- terraform plan
  tobira exec switch            # a shell with AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN, … set; exit to leave

The child gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_DEFAULT_REGION,
AWS_CREDENTIAL_EXPIRATION (and AWS_ENDPOINT_URL when the profile has endpoint_url), TOBIRA_PROFILE, and no
AWS_PROFILE. Signals are passed on; tobira exits with the child's status (128+N when signal N ended it).`,
    )
    .action(async (profile: string, command: string[], flags: CredentialFlags & { force?: boolean }) => {
      const { runExec } = await import("../credentials/exec-run.js");
      process.exitCode = await runExec(profile, command, {
        ...credentialOptionsFrom(flags),
        force: flags.force === true,
      });
    });
}
