// `tobira clear [PROFILE]`: drops cached temporary sessions, so the next use asks STS (and MFA) again.
import type { Command } from "commander";
import { backendOption } from "../vault/backend-option.js";

export function register(program: Command): void {
  program
    .command("clear")
    .description("drop cached temporary sessions (all, or those of PROFILE); long-term keys stay")
    .argument("[profile]", "only sessions made for this profile or from its key")
    .addOption(backendOption())
    .addHelpText(
      "after",
      `
Examples:
  $ tobira clear
  $ tobira clear switch`,
    )
    .action(async (profile: string | undefined, options: { backend?: string }) => {
      const { openVault } = await import("../vault/open-vault.js");
      const vault = await openVault({ backend: options.backend });
      const dropped = await vault.clearSessions(profile);
      const which = profile === undefined ? "" : ` of profile '${profile}'`;
      process.stdout.write(`Dropped ${dropped} cached session${dropped === 1 ? "" : "s"}${which}.\n`);
    });
}
