// Client side of a multiplexed port session (§7.4): one smux stream per local connection, over the data
// channel's Output payloads. The caller accepts local connections and hands them in; no sockets here.

import type { Duplex } from "node:stream";
import type { Clock } from "../clock.js";
import { FlagValue } from "../constants.js";
import { MuxSession, type MuxTuning } from "../mux/mux-session.js";
import type { MuxStream } from "../mux/mux-stream.js";
import { bridgeDuplexes } from "./duplex-bridge.js";
import type { PortLink } from "./port-link.js";

export interface MuxPortClientOptions {
  link: PortLink;
  tuning?: MuxTuning;
  clock?: Clock;
  /** The agent could not reach the destination for a new stream (Flag 3, not tied to a stream id). */
  onConnectError?: () => void;
  /** The mux session ended (protocol error, failed send, keepalive timeout). */
  onClose?: (error?: Error) => void;
  onDiagnostic?: (reason: string) => void;
}

export class MuxPortClient {
  readonly session: MuxSession;
  readonly #o: MuxPortClientOptions;

  constructor(options: MuxPortClientOptions) {
    this.#o = options;
    this.session = new MuxSession({
      ...options.tuning,
      role: "client",
      send: (bytes) => options.link.send(bytes),
      onReceivePressure: (stalled) => options.link.setAccepting(!stalled),
      ...(options.onClose === undefined ? {} : { onClose: options.onClose }),
      ...(options.onDiagnostic === undefined ? {} : { onDiagnostic: options.onDiagnostic }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    options.link.setAccepting(true);
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
