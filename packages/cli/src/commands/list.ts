// `tobira list`: registers the command; keys/list-run.ts lists the profiles whose long-term keys the vault
// holds, and with --sessions what the session cache holds until when (never the credentials).
import type { Command } from "commander";
import { backendOption } from "../vault/backend-option.js";

export function register(program: Command): void {
  program
    .command("list")
    .description(
      "list the profiles whose long-term keys are in the vault, and with --sessions the cached sessions",
    )
    .option("--sessions", "also list cached temporary sessions: profile, kind, role and expiry")
    .option("--json", "print JSON instead of a table")
    .addOption(backendOption())
    .addHelpText(
      "after",
      `
Examples:
  $ tobira list
  $ tobira list --sessions
  $ tobira list --json | jq -r '.profiles[].profile'`,
    )
    .action(async (options: { sessions?: boolean; json?: boolean; backend?: string }) => {
      const { runList } = await import("../keys/list-run.js");
      await runList(options);
    });
}
