// `tobira remove PROFILE`: registers the command; keys/remove-run.ts deletes the key and its sessions, after asking.
import type { Command } from "commander";
import { backendOption } from "../vault/backend-option.js";

export function register(program: Command): void {
  program
    .command("remove")
    .description("delete the long-term key stored for PROFILE, and the sessions cached from it")
    .argument("<profile>", "the profile whose key to delete")
    .option("-y, --yes", "do not ask for confirmation")
    .addOption(backendOption())
    .addHelpText(
      "after",
      `
This removes the key from tobira's vault only; the key stays valid in IAM until you deactivate it there.

Examples:
  $ tobira remove alice
  $ tobira remove alice --yes`,
    )
    .action(async (profile: string, options: { yes?: boolean; backend?: string }) => {
      const { runRemove } = await import("../keys/remove-run.js");
      await runRemove(profile, options);
    });
}
