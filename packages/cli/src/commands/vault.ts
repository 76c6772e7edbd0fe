// `tobira vault …`: the vault itself — where it is (`status`) and moving it between backends (`migrate`).
import { type Command, Option } from "commander";
import { backendOption } from "../vault/backend-option.js";

export function register(program: Command): void {
  const vault = program.command("vault").description("inspect the vault or move it between keyring and file");

  vault
    .command("status")
    .description(
      "say which backend is in use, where, how many keys it holds and how many sessions are cached",
    )
    .addOption(backendOption())
    .action(async (options: { backend?: string }) => {
      const { openVault } = await import("../vault/open-vault.js");
      const opened = await openVault({ backend: options.backend });
      const keys = (await opened.keys.list()).length;
      const { listCachedSessions } = await import("../credentials/cached-sessions.js");
      const sessions = (await listCachedSessions()).length;
      process.stdout.write(
        `backend: ${opened.backend}\nlocation: ${opened.location}\nkeys: ${keys}\ncached sessions: ${sessions}\n`,
      );
    });

  vault
    .command("migrate")
    .description("move every long-term key into the other backend: copy, verify, then delete the source")
    .addOption(
      new Option("--to <backend>", "the backend to move into")
        .choices(["keyring", "file"])
        .makeOptionMandatory(),
    )
    .option("--overwrite", "replace keys the destination already holds for the same profiles")
    .addHelpText(
      "after",
      `
If anything fails before every item is copied and read back, the source is left as it was.

Examples:
  $ tobira vault migrate --to keyring
  $ TOBIRA_VAULT_PASSPHRASE_FILE=~/.config/tobira/pass tobira vault migrate --to file`,
    )
    .action(async (options: { to: "keyring" | "file"; overwrite?: boolean }) => {
      const { openBackend } = await import("../vault/open-vault.js");
      const { migrateVault } = await import("../vault/migrate-vault.js");
      const from = await openBackend(options.to === "keyring" ? "file" : "keyring");
      const to = await openBackend(options.to);
      const moved = await migrateVault(from, to, { overwrite: options.overwrite });
      process.stdout.write(
        `Moved ${moved.keys} key${moved.keys === 1 ? "" : "s"} from the ${from.location} to the ${to.location}.\n`,
      );
    });
}
