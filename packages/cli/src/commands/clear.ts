// `tobira clear [PROFILE]`: registers the command; keys/clear-run.ts drops cached temporary sessions, so the
// next use asks STS (and MFA) again.
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("clear")
    .description("drop cached temporary sessions (all, or those of PROFILE); long-term keys stay")
    .argument("[profile]", "only sessions made for this profile or from its key")
    .addHelpText(
      "after",
      `
The vault is not opened: the session cache has its own key (see \`tobira list --sessions\`).

Examples:
  $ tobira clear
  $ tobira clear switch`,
    )
    .action(async (profile: string | undefined) => {
      const { runClear } = await import("../keys/clear-run.js");
      await runClear(profile);
    });
}
