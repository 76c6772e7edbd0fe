// `tobira remove PROFILE`: deletes a profile's long-term key and the sessions made from it, after asking.
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
      const { UsageError } = await import("../errors.js");
      const { openVault } = await import("../vault/open-vault.js");
      const { askOnTerminal } = await import("../terminal/index.js");
      const vault = await openVault({ backend: options.backend });
      if (!(await vault.keys.get(profile))) {
        throw new UsageError(`no key is stored for profile '${profile}' in the ${vault.location}`, {
          hint: "`tobira list` shows the stored profiles",
        });
      }
      if (!options.yes) {
        const answer = await askOnTerminal(
          `Delete the key of profile '${profile}' from the ${vault.location}? [y/N] `,
          { what: "a confirmation", whenNoTerminal: "pass --yes to remove without asking" },
        );
        if (!/^(y|yes)$/i.test(answer.trim())) {
          process.stdout.write("Nothing removed.\n");
          return;
        }
      }
      await vault.keys.remove(profile);
      const { forgetCachedSessions } = await import("../credentials/cached-sessions.js");
      const dropped = await forgetCachedSessions(profile);
      process.stdout.write(
        `Removed the key of profile '${profile}'` +
          (dropped > 0 ? ` and ${dropped} cached session${dropped === 1 ? "" : "s"}` : "") +
          ". It is still active in IAM until you deactivate it there.\n",
      );
    });
}
