// What both ends of a multiplexed port session (§7.4) share: a mux session carried over the port link,
// the data channel's bytes fed in, its one Flag of interest acted on (the others said and ignored), close.

import type { Clock } from "../clock.js";
import type { FlagValueNumber } from "../constants.js";
import { type MuxRole, MuxSession, type MuxTuning } from "../mux/mux-session.js";
import type { MuxStream } from "../mux/mux-stream.js";
import type { PortLink } from "./port-link.js";

/** The options both mux port roles take. */
export interface MuxLinkOptions {
  link: PortLink;
  tuning?: MuxTuning;
  clock?: Clock;
  /** The mux session ended (protocol error, failed send, keepalive timeout). */
  onClose?: (error?: Error) => void;
  onDiagnostic?: (reason: string) => void;
}

export abstract class MuxPortEnd<Options extends MuxLinkOptions> {
  readonly session: MuxSession;
  protected readonly options: Options;
  readonly #flagActedOn: FlagValueNumber;

  /**
   * The session's bytes go out on the link, and the link stops reading while a stream is over its hard
   * limit (a peer that ignores credits): that is the only back-pressure the data channel offers. The link
   * accepts from the start. Only the server takes streams the peer opens.
   */
  constructor(role: MuxRole, options: Options, flagActedOn: FlagValueNumber) {
    this.options = options;
    this.#flagActedOn = flagActedOn;
    this.session = new MuxSession({
      ...options.tuning,
      role,
      send: (bytes) => options.link.send(bytes),
      ...(role === "server" ? { onStream: (stream: MuxStream) => this.acceptStream(stream) } : {}),
      onReceivePressure: (stalled) => options.link.setAccepting(!stalled),
      ...(options.onClose === undefined ? {} : { onClose: options.onClose }),
      ...(options.onDiagnostic === undefined ? {} : { onDiagnostic: options.onDiagnostic }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    options.link.setAccepting(true);
  }

  /** The data channel's incoming bytes (Output at the client, input at the agent). */
  receive(bytes: Uint8Array): void {
    this.session.receive(bytes);
  }

  /** The data channel's Flag payloads: the one this end acts on; any other means nothing in mux mode. */
  flag(value: number): void {
    if (value === this.#flagActedOn) this.onFlag();
    else this.options.onDiagnostic?.(`flag ${value} ignored in mux mode`);
  }

  close(error?: Error): void {
    this.session.close(error);
  }

  /** The flag this end acts on arrived. */
  protected abstract onFlag(): void;

  /** A stream the peer opened (server only). */
  protected acceptStream(_stream: MuxStream): void {}
}
