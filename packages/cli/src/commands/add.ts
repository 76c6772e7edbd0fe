// `tobira add PROFILE`: registers the command; keys/add-run.ts stores the key, typed on the terminal or from env.
import type { Command } from "commander";
import { backendOption } from "../vault/backend-option.js";

export function register(program: Command): void {
  program
    .command("add")
    .description(
      "store an IAM user's long-term access key for PROFILE in the vault (keyring or encrypted file)",
    )
    .argument("<profile>", "the profile whose source credentials these are (as in ~/.aws/config)")
    .option(
      "--env",
      "take AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment instead of asking",
    )
    .option("--force", "replace a key already stored for PROFILE (its cached sessions are dropped)")
    .addOption(backendOption())
    .addHelpText(
      "after",
      `
The secret is asked on the terminal without echo; it is never taken from the command line.

Examples:
  $ tobira add alice
  $ AWS_ACCESS_KEY_ID=AKIA… AWS_SECRET_ACCESS_KEY=… tobira add alice --env
  $ tobira add alice --force --backend file`,
    )
    .action(async (profile: string, options: { env?: boolean; force?: boolean; backend?: string }) => {
      const { runAdd } = await import("../keys/add-run.js");
      await runAdd(profile, options);
    });
}
