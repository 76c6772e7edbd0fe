// The peer of a Unix-socket connection, from the kernel (SO_PEERCRED through @tobira/peercred, a small N-API
// addon: Node 20 has no API for it). Loaded when `tobira node serve` starts, so a missing addon stops the
// server before it listens rather than letting it serve unchecked.

import type { Socket } from "node:net";
import { TobiraError } from "../errors.js";

export type PeerOf = (socket: Socket) => { pid: number; uid: number; gid: number };

export async function loadPeerCheck(): Promise<PeerOf> {
  let peercred: typeof import("@tobira/peercred");
  try {
    peercred = await import("@tobira/peercred");
  } catch (error) {
    throw new TobiraError("the peer-credential addon @tobira/peercred is not installed", {
      hint: "it builds on `npm ci` on Linux (needs g++, make, python3 and the Node headers)",
      cause: error,
    });
  }
  if (!peercred.available) {
    throw new TobiraError("the peer-credential addon @tobira/peercred is not built", {
      hint: "run `npm rebuild @tobira/peercred` (needs g++, make, python3 and the Node headers)",
    });
  }
  return (socket) => {
    // A Unix socket's handle (pipe_wrap) carries its file descriptor on POSIX systems.
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (fd === undefined || fd < 0) throw new Error("the connection has no file descriptor to ask");
    return peercred.peerCredentials(fd);
  };
}
