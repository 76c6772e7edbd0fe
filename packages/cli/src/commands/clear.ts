// `tobira clear [PROFILE]`: drops cached temporary sessions, so the next use asks STS (and MFA) again.
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
      const { forgetCachedSessions } = await import("../credentials/cached-sessions.js");
      const dropped = await forgetCachedSessions(profile);
      const which = profile === undefined ? "" : ` of profile '${profile}'`;
      process.stdout.write(`Dropped ${dropped} cached session${dropped === 1 ? "" : "s"}${which}.\n`);
    });
}
