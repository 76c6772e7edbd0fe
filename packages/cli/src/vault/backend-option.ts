// The --backend option shared by the vault commands (kept tiny: it is loaded before any command runs).
import { Option } from "commander";

export function backendOption(): Option {
  return new Option(
    "--backend <backend>",
    "where keys live: keyring or file (default: the keyring when one answers; env TOBIRA_BACKEND)",
  ).choices(["keyring", "file", "auto"]);
}
