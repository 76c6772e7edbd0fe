// Where ~/.aws/config and ~/.aws/credentials are: explicit paths, then AWS_CONFIG_FILE /
// AWS_SHARED_CREDENTIALS_FILE, then the home folder, with a leading `~` expanded as the AWS CLI does.
import { homedir } from "node:os";
import { join } from "node:path";
import type { Env } from "./types.js";

export interface ConfigFilePaths {
  configFile: string;
  credentialsFile: string;
}

export function configFilePaths(
  options: { env?: Env; configFile?: string; credentialsFile?: string } = {},
): ConfigFilePaths {
  const env = options.env ?? process.env;
  // An empty variable counts as unset, as in @smithy/shared-ini-file-loader (`||`).
  const home = env.HOME || env.USERPROFILE || homedir();
  const pick = (explicit: string | undefined, variable: string, fallback: string): string =>
    expandHome(explicit || env[variable] || join(home, ".aws", fallback), home);
  return {
    configFile: pick(options.configFile, "AWS_CONFIG_FILE", "config"),
    credentialsFile: pick(options.credentialsFile, "AWS_SHARED_CREDENTIALS_FILE", "credentials"),
  };
}

function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(home, path.slice(2));
  return path;
}
