// `tobira vault status | migrate`: registers the commands; keys/vault-run.ts says where the vault is and moves
// it between backends.
import { type Command, Option } from "commander";
import { backendOption } from "../vault/backend-option.js";

/** What runs both subcommands, loaded only when one runs. */
const loadVaultRun = () => import("../keys/vault-run.js");

export function register(program: Command): void {
  const vault = program.command("vault").description("inspect the vault or move it between keyring and file");

  vault
    .command("status")
    .description(
      "say which backend is in use, where, how many keys it holds and how many sessions are cached",
    )
    .addOption(backendOption())
    .addHelpText(
      "after",
      `
Examples:
  $ tobira vault status
  $ tobira vault status --backend file`,
    )
    .action(async (options: { backend?: string }) => (await loadVaultRun()).runVaultStatus(options));

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
    .action(async (options: { to: "keyring" | "file"; overwrite?: boolean }) =>
      (await loadVaultRun()).runVaultMigrate(options),
    );
}
