// Client side of a multiplexed port session (§7.4): one smux stream per local connection, over the data
// channel's Output payloads. The caller accepts local connections and hands them in; no sockets here.

import type { Duplex } from "node:stream";
import { FlagValue } from "../constants.js";
import type { MuxSession } from "../mux/mux-session.js";
import type { MuxStream } from "../mux/mux-stream.js";
import { bridgeDuplexes } from "./duplex-bridge.js";
import { type MuxLinkOptions, muxSessionOverLink } from "./mux-session-over-link.js";

export interface MuxPortClientOptions extends MuxLinkOptions {
  /** The agent could not reach the destination for a new stream (Flag 3, not tied to a stream id). */
  onConnectError?: () => void;
}

export class MuxPortClient {
  readonly session: MuxSession;
  readonly #o: MuxPortClientOptions;

  constructor(options: MuxPortClientOptions) {
    this.#o = options;
    this.session = muxSessionOverLink("client", options);
  }

  /** The data channel's Output bytes. */
  receive(bytes: Uint8Array): void {
    this.session.receive(bytes);
  }

  /** The data channel's Flag payloads. */
  flag(value: number): void {
    if (value === FlagValue.ConnectToPortError) this.#o.onConnectError?.();
    else this.#o.onDiagnostic?.(`flag ${value} ignored in mux mode`);
  }

  /** Opens a stream for one local connection and copies both ways until both sides closed. */
  connect(local: Duplex): { stream: MuxStream; done: Promise<void> } {
    const stream = this.session.openStream();
    return { stream, done: bridgeDuplexes(local, stream) };
  }

  close(error?: Error): void {
    this.session.close(error);
  }
}
