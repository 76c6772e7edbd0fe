// `tobira exec PROFILE [-- CMD…]`: registers the command; outputs/exec/ runs a command (or the user's shell)
// with the profile's temporary credentials.
import type { Command } from "commander";
import * as profileOptions from "./profile-options.js";

interface ExecFlags extends profileOptions.CredentialFlags {
  force?: boolean;
  server?: boolean;
}

export function register(program: Command): void {
  const description = "run a command with a profile's temporary credentials in its environment";
  profileOptions
    .addCredentialFlags(
      profileOptions
        .profileCommand(program, "exec", description)
        .argument("[command...]", "the command and its arguments, after -- (default: your $SHELL)")
        .option("--force", "run even inside another `tobira exec` (nesting)")
        .option(
          "--server",
          "give the child a container-credentials endpoint on 127.0.0.1 instead of fixed keys (renewed)",
        ),
    )
    .addHelpText(
      "after",
      `
Examples:
  tobira exec switch -- aws sts get-caller-identity
  tobira exec project-a -- terraform plan
  tobira exec switch            # a shell with AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN, … set; exit to leave
  tobira exec --server switch -- terraform apply   # runs for hours: the SDK fetches fresh credentials

The child gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_DEFAULT_REGION,
AWS_CREDENTIAL_EXPIRATION (and AWS_ENDPOINT_URL when the profile has endpoint_url), TOBIRA_PROFILE, and no
AWS_PROFILE. With --server it gets AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
instead of the keys (as \`tobira serve PROFILE -- CMD\` does). Signals are passed on; tobira exits with the
child's status (128+N when signal N ended it).`,
    )
    .action(async (profile: string, command: string[], flags: ExecFlags) => {
      const { runExec } = await import("../outputs/exec/exec-run.js");
      process.exitCode = await runExec(profile, command, {
        ...profileOptions.credentialOptionsFrom(flags),
        force: flags.force === true,
        server: flags.server === true,
      });
    });
}
