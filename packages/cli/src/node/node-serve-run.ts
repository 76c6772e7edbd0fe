// `tobira node serve`: run by root (or the agent's service account) on an on-premises server, it reads the
// agent's credentials file safely and serves the role credentials to the local users and groups it allows,
// over a Unix socket checked by the peer's uid/gid, and optionally as a loopback container-credentials
// endpoint whose token file only root and the first allowed group can read. Serves until SIGINT/SIGTERM.

import { chmodSync, chownSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { basename, dirname, join } from "node:path";
import { newContainerToken } from "../outputs/serve/container-token.js";
import { type CredentialServer, startCredentialServer } from "../outputs/serve/credential-server.js";
import { type NodeFileOptions, nodeFiles } from "./agent-files.js";
import { readNodeCredentials } from "./credentials-reader.js";
import { type AllowList, resolveAllowList } from "./local-accounts.js";
import { socketPath } from "./node-socket.js";
import { loadPeerCheck } from "./peer-check.js";
import { startSocketServer } from "./socket-server.js";

export interface NodeServeOptions extends NodeFileOptions {
  socket?: string;
  allowUser?: string[];
  allowGroup?: string[];
  httpPort?: number;
  tokenFile?: string;
}

const log = (line: string) => process.stderr.write(`tobira node serve: ${line}\n`);

/**
 * Where the token goes when --token-file is not given. With a group allowed it lies beside the socket, in a
 * folder the server has checked and the group can enter; root's private session folder (the default of
 * `tobira serve`) would leave the 0640 file unreachable for the very group it is for.
 */
function defaultTokenFile(options: NodeServeOptions, allow: AllowList, socket: string): string | undefined {
  if (options.tokenFile !== undefined) return options.tokenFile;
  return allow.gids.size > 0 ? join(dirname(socket), `${basename(socket)}.token`) : undefined;
}

async function startHttp(
  options: NodeServeOptions,
  allow: AllowList,
  files: ReturnType<typeof nodeFiles>,
  socket: string,
): Promise<CredentialServer> {
  const tokenFile = defaultTokenFile(options, allow, socket);
  const server = await startCredentialServer({
    fetchCredentials: () => readNodeCredentials(files),
    label: "the node's role",
    port: options.httpPort ?? 0,
    token: newContainerToken(),
    ...(tokenFile === undefined ? {} : { tokenFile }),
    notice: log,
  });
  // The token is the only check on a TCP port: root and the first allowed group may read it, no one else.
  const [gid] = allow.gids;
  if (gid !== undefined) {
    chownSync(server.tokenFile, 0, gid);
    chmodSync(server.tokenFile, 0o640);
  }
  return server;
}

export async function runNodeServe(options: NodeServeOptions): Promise<void> {
  const files = nodeFiles(options);
  const allow = resolveAllowList(options.allowUser ?? [], options.allowGroup ?? []);
  const peerOf = await loadPeerCheck();
  await readNodeCredentials(files).catch((error: Error) => log(`not servable yet: ${error.message}`));
  const socket = socketPath(options.socket);
  const server: Server = await startSocketServer({ socket, files, allow, peerOf, log });
  const http = options.httpPort === undefined ? undefined : await startHttp(options, allow, files, socket);
  process.stdout.write(
    `serving the role credentials of ${files.credentials} [${files.profile}] on ${socket} to ${allow.described}\n`,
  );
  if (http) process.stdout.write(`container endpoint: ${http.url} (token file ${http.tokenFile})\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await http?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(socket, { force: true });
}
