// Loads the built addon (build/Release/peercred.node). Linux only: other systems get an error that says so.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

let addon;
let loadError;
try {
  addon = require("./build/Release/peercred.node");
} catch (error) {
  loadError = error;
}

/** The connected Unix socket's peer: { pid, uid, gid } from SO_PEERCRED. */
export function peerCredentials(fd) {
  if (!addon) {
    throw new Error(
      `the peercred addon is not built (${loadError?.message ?? "unknown reason"}); run \`npm rebuild @tobira/peercred\` (needs g++, python3 and the Node headers)`,
    );
  }
  return addon.peerCredentials(fd);
}

export const available = addon !== undefined;
