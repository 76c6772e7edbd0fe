// Where the vault keeps things on disk: the encrypted file and the keyring's lock.
import { homedir } from "node:os";
import { join } from "node:path";

/** tobira's data folder: $XDG_DATA_HOME/tobira, else ~/.local/share/tobira. */
export function dataFolder(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_DATA_HOME;
  return join(
    xdg && xdg !== "" ? xdg : join(env.HOME && env.HOME !== "" ? env.HOME : homedir(), ".local", "share"),
    "tobira",
  );
}

/** The vault file: TOBIRA_VAULT_FILE, else `vault` in the data folder. */
export function vaultFilePath(env: NodeJS.ProcessEnv): string {
  const chosen = env.TOBIRA_VAULT_FILE;
  return chosen && chosen !== "" ? chosen : join(dataFolder(env), "vault");
}
