// Client side of a multiplexed port session (§7.4): one smux stream per local connection, over the data
// channel's Output payloads. The caller accepts local connections and hands them in; no sockets here.

import type { Duplex } from "node:stream";
import { FlagValue } from "../constants.js";
import type { MuxStream } from "../mux/mux-stream.js";
import { bridgeDuplexes } from "./duplex-bridge.js";
import { type MuxLinkOptions, MuxPortEnd } from "./mux-port-end.js";

export interface MuxPortClientOptions extends MuxLinkOptions {
  /** The agent could not reach the destination for a new stream (Flag 3, not tied to a stream id). */
  onConnectError?: () => void;
}

export class MuxPortClient extends MuxPortEnd<MuxPortClientOptions> {
  constructor(options: MuxPortClientOptions) {
    super("client", options, FlagValue.ConnectToPortError);
  }

  /** Opens a stream for one local connection and copies both ways until both sides closed. */
  connect(local: Duplex): { stream: MuxStream; done: Promise<void> } {
    const stream = this.session.openStream();
    return { stream, done: bridgeDuplexes(local, stream) };
  }

  protected override onFlag(): void {
    this.options.onConnectError?.();
  }
}
