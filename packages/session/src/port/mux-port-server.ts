// Agent side of a multiplexed port session (§7.4): accepts the client's smux streams and dials the
// destination for each; a failed dial is reported with Flag ConnectToPortError, then the stream's FIN.
// The caller (the agent) supplies the dialer; no sockets are created here.

import type { Duplex } from "node:stream";
import { FlagValue } from "../constants.js";
import { describeError } from "../errors.js";
import type { MuxStream } from "../mux/mux-stream.js";
import { bridgeDuplexes } from "./duplex-bridge.js";
import { type MuxLinkOptions, MuxPortEnd } from "./mux-port-end.js";

export interface MuxPortServerOptions extends MuxLinkOptions {
  /** Connects to the destination for one stream; reject (or throw) when it cannot. */
  dial: (stream: MuxStream) => Promise<Duplex>;
  /** The client sent TerminateSession. */
  onTerminate?: () => void;
}

export class MuxPortServer extends MuxPortEnd<MuxPortServerOptions> {
  constructor(options: MuxPortServerOptions) {
    // TerminateSession ends; DisconnectToPort means nothing in mux mode.
    super("server", options, FlagValue.TerminateSession);
  }

  protected override onFlag(): void {
    this.options.onTerminate?.();
  }

  protected override acceptStream(stream: MuxStream): void {
    this.options.dial(stream).then(
      (destination) => {
        if (stream.destroyed) destination.destroy();
        else void bridgeDuplexes(stream, destination);
      },
      (error: unknown) => {
        this.options.onDiagnostic?.(`stream ${stream.id}: dial failed: ${describeError(error)}`);
        // The flag goes first, then the stream's FIN (the agent's order).
        this.options.link
          .sendFlag(FlagValue.ConnectToPortError)
          .catch(() => {})
          .finally(() => stream.destroy());
      },
    );
  }
}
