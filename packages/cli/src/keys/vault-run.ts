// What `tobira vault status | migrate` do: say where the vault is and what it holds, and move every key from
// one backend to the other.
import { listCachedSessions } from "../credentials/cached-sessions.js";
import { migrateVault } from "../vault/migrate-vault.js";
import { openBackend, openVault } from "../vault/open-vault.js";
import { plural } from "./plural.js";

export async function runVaultStatus(options: { backend?: string }): Promise<void> {
  const opened = await openVault({ backend: options.backend });
  const keys = (await opened.keys.list()).length;
  const sessions = (await listCachedSessions()).length;
  process.stdout.write(
    `backend: ${opened.backend}\nlocation: ${opened.location}\nkeys: ${keys}\ncached sessions: ${sessions}\n`,
  );
}

export async function runVaultMigrate(options: {
  to: "keyring" | "file";
  overwrite?: boolean;
}): Promise<void> {
  const from = await openBackend(options.to === "keyring" ? "file" : "keyring");
  const to = await openBackend(options.to);
  const moved = await migrateVault(from, to, { overwrite: options.overwrite });
  process.stdout.write(
    `Moved ${plural(moved.keys, "key")}${moved.secrets > 0 ? ` and ${plural(moved.secrets, "stored secret")}` : ""} from the ${from.location} to the ${to.location}.\n`,
  );
}
