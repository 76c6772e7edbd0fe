// Joins two byte streams both ways (a local socket and a mux stream, or a mux stream and the destination):
// each side's EOF ends the other's writing half (half-close), an error or abrupt close tears down both.

import type { Duplex } from "node:stream";

/** Resolves when both streams are closed. Sockets should be created with `allowHalfOpen: true`. */
export function bridgeDuplexes(a: Duplex, b: Duplex): Promise<void> {
  a.pipe(b);
  b.pipe(a);
  const settled = (s: Duplex) => s.destroyed || (s.readableEnded && s.writableFinished);
  const tearDown = (from: Duplex, to: Duplex) => (error?: Error) => {
    if (to.destroyed) return;
    // A clean close of `from` after both of its halves finished leaves `to` to finish on its own.
    if (error === undefined && from.readableEnded && from.writableFinished) return;
    to.destroy();
  };
  a.on("error", tearDown(a, b));
  b.on("error", tearDown(b, a));
  return new Promise((resolve) => {
    let closed = 0;
    const onClose = (from: Duplex, to: Duplex) => () => {
      tearDown(from, to)(from.errored ?? (settled(from) ? undefined : new Error("closed")));
      if (++closed === 2) resolve();
    };
    a.once("close", onClose(a, b));
    b.once("close", onClose(b, a));
  });
}
