// Where `tobira node serve` listens and `tobira node credentials` asks: a Unix socket, world-connectable,
// where the server decides by the peer's uid/gid (SO_PEERCRED) who gets the role credentials.

import { resolve } from "node:path";

export const DEFAULT_SOCKET = "/run/tobira/node.sock";
export const CREDENTIALS_PATH = "/credentials";

/** --socket, else TOBIRA_NODE_SOCKET, else /run/tobira/node.sock. */
export function socketPath(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(option ?? (env.TOBIRA_NODE_SOCKET || DEFAULT_SOCKET));
}
