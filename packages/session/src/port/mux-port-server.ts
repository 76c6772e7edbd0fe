// Agent side of a multiplexed port session (§7.4): accepts the client's smux streams and dials the
// destination for each; a failed dial is reported with Flag ConnectToPortError, then the stream's FIN.
// The caller (the agent) supplies the dialer; no sockets are created here.

import type { Duplex } from "node:stream";
import { FlagValue } from "../constants.js";
import { describeError } from "../errors.js";
import type { MuxSession } from "../mux/mux-session.js";
import type { MuxStream } from "../mux/mux-stream.js";
import { bridgeDuplexes } from "./duplex-bridge.js";
import { type MuxLinkOptions, muxSessionOverLink } from "./mux-session-over-link.js";

export interface MuxPortServerOptions extends MuxLinkOptions {
  /** Connects to the destination for one stream; reject (or throw) when it cannot. */
  dial: (stream: MuxStream) => Promise<Duplex>;
  /** The client sent TerminateSession. */
  onTerminate?: () => void;
}

export class MuxPortServer {
  readonly session: MuxSession;
  readonly #o: MuxPortServerOptions;

  constructor(options: MuxPortServerOptions) {
    this.#o = options;
    this.session = muxSessionOverLink("server", options, (stream) => this.#serve(stream));
  }

  /** The data channel's input bytes. */
  receive(bytes: Uint8Array): void {
    this.session.receive(bytes);
  }

  /** The data channel's Flag payloads: TerminateSession ends; DisconnectToPort means nothing in mux mode. */
  flag(value: number): void {
    if (value === FlagValue.TerminateSession) this.#o.onTerminate?.();
    else this.#o.onDiagnostic?.(`flag ${value} ignored in mux mode`);
  }

  close(error?: Error): void {
    this.session.close(error);
  }

  #serve(stream: MuxStream): void {
    this.#o.dial(stream).then(
      (destination) => {
        if (stream.destroyed) destination.destroy();
        else void bridgeDuplexes(stream, destination);
      },
      (error: unknown) => {
        this.#o.onDiagnostic?.(`stream ${stream.id}: dial failed: ${describeError(error)}`);
        // The flag goes first, then the stream's FIN (the agent's order).
        this.#o.link
          .sendFlag(FlagValue.ConnectToPortError)
          .catch(() => {})
          .finally(() => stream.destroy());
      },
    );
  }
}
