// A whole client port session: opens the data channel, learns the agent version and the document's type
// from the handshake, picks the mode as §7.2 requires (mux, basic or stream) and routes Output and Flags to
// that mode's adapter. The caller hands in local connections (or stdin/stdout); it never sees smux.

import type { Duplex, Readable, Writable } from "node:stream";
import { FlagValue, SessionType } from "../constants.js";
import { PortSessionError } from "../errors.js";
import type { MuxSession, MuxTuning } from "../mux/mux-session.js";
import { SMUX } from "../mux/smux-frame.js";
import {
  type ClientDataChannel,
  type ClientDataChannelOptions,
  type ClientSessionInfo,
  openClientDataChannel,
} from "../session/client-data-channel.js";
import type { DataChannelEnd } from "../session/data-channel-core.js";
import { pickDefined } from "../session/pick-defined.js";
import { BasicPortClient } from "./basic-port-client.js";
import { MuxPortClient } from "./mux-port-client.js";
import { clientPortLink, type PortLink } from "./port-link.js";
import { StreamPortClient } from "./stream-port-client.js";
import {
  type ClientPortMode,
  clientPortMode,
  clientSmuxKeepAlive,
  clientUsesTerminateFlag,
} from "./version-rules.js";

export interface ClientPortSessionOptions
  extends Omit<
    ClientDataChannelOptions,
    "onOutput" | "onStderr" | "onExit" | "onFlag" | "supportedSessionTypes"
  > {
  /** Overrides §7.2's choice (tests; a client that reports an old ClientVersion must force "basic"). */
  mode?: ClientPortMode;
  mux?: MuxTuning;
  /** Flag ConnectToPortError: the agent could not reach the destination for a new connection. */
  onConnectError?: () => void;
  onPortDiagnostic?: (reason: string) => void;
}

export interface PortSessionReady {
  mode: ClientPortMode;
  info: ClientSessionInfo;
}

export interface ClientPortSession {
  readonly channel: ClientDataChannel;
  readonly ready: Promise<PortSessionReady>;
  readonly ended: Promise<DataChannelEnd>;
  /**
   * One local connection (a socket made with allowHalfOpen: true). mux: its own stream; basic: waits behind
   * the current one; stream: the single stdin/stdout pair. Resolves when the connection is finished.
   */
  connect(local: Duplex): Promise<void>;
  /** Stream mode (SSH ProxyCommand): resolves when `input` ended and all of it was queued. */
  attachStdio(input: Readable, output: Writable): Promise<void>;
  /**
   * Ends the session from this side: Flag TerminateSession when the agent is > 2.3.722.0 (then waits up to
   * `flushMs` for it to be acknowledged), then closes. Resolves false when the agent is too old for the
   * flag: the caller must call the TerminateSession API.
   */
  terminate(flushMs?: number): Promise<boolean>;
  /** The smux session in mux mode (stream stats, per-stream back-pressure), else undefined. */
  muxSession(): MuxSession | undefined;
}

type Adapter = MuxPortClient | BasicPortClient | StreamPortClient;

/** The port session's own options, apart from the data channel's. */
type PortOptions = Pick<ClientPortSessionOptions, "mode" | "mux" | "onConnectError" | "onPortDiagnostic">;

export function openClientPortSession(options: ClientPortSessionOptions): ClientPortSession {
  return new ClientPort(options);
}

/** One client port session: the channel, the mode chosen once ready, and that mode's adapter. */
class ClientPort implements ClientPortSession {
  readonly channel: ClientDataChannel;
  readonly ready: Promise<PortSessionReady>;
  readonly ended: Promise<DataChannelEnd>;
  readonly #port: PortOptions;
  readonly #clock: ClientPortSessionOptions["clock"];
  readonly #link: PortLink;
  #adapter: Adapter | undefined;
  #streamAttached = false;

  constructor(options: ClientPortSessionOptions) {
    // The port's own options stay here (#port); the rest are the channel's.
    const { mode, mux, onConnectError, onPortDiagnostic, ...channelOptions } = options;
    this.#port = pickDefined(options, ["mode", "mux", "onConnectError", "onPortDiagnostic"]);
    this.#clock = channelOptions.clock;
    this.channel = openClientDataChannel({
      ...channelOptions,
      supportedSessionTypes: [SessionType.Port],
      onOutput: (bytes) => this.#adapter?.receive(bytes),
      onFlag: (flag) => {
        if (this.#adapter !== undefined) this.#adapter.flag(flag);
        else if (flag === FlagValue.ConnectToPortError) onConnectError?.();
      },
    });
    this.ended = this.channel.ended;
    this.#link = clientPortLink(this.channel);
    // §4.4: Output waits at the agent (unacked) until the mode's local side exists.
    this.channel.acceptOutput(false);
    this.ready = this.channel.ready.then((info) => this.#start(info));
    this.ready.catch(() => {});
  }

  async connect(local: Duplex): Promise<void> {
    const { mode } = await this.ready;
    if (mode === "stream") return this.attachStdio(local, local);
    const adapter = this.#adapter;
    if (adapter instanceof MuxPortClient) return adapter.connect(local).done;
    if (adapter instanceof BasicPortClient) return adapter.connect(local);
  }

  async attachStdio(input: Readable, output: Writable): Promise<void> {
    const { mode } = await this.ready;
    if (mode !== "stream" || this.#streamAttached)
      throw new PortSessionError(
        mode === "stream"
          ? "This port session already carries its one stdin/stdout stream."
          : `This port session runs in ${mode} mode, not stdin/stdout stream mode.`,
        "Use connect() for local connections; start another session for another stream.",
      );
    this.#streamAttached = true;
    const stream = new StreamPortClient({ link: this.#link, input, output, ...this.#diagnostics() });
    this.#adapter = stream;
    await stream.inputEnded;
  }

  muxSession(): MuxSession | undefined {
    return this.#adapter instanceof MuxPortClient ? this.#adapter.session : undefined;
  }

  async terminate(flushMs = 1000): Promise<boolean> {
    let info: ClientSessionInfo | undefined;
    try {
      info = (await this.ready).info;
    } catch {
      this.channel.close();
      return true;
    }
    const useFlag = clientUsesTerminateFlag(info.agentVersion);
    if (useFlag) {
      await this.channel.sendFlag(FlagValue.TerminateSession).catch(() => {});
      await this.channel.flush(flushMs);
    }
    const adapter = this.#adapter;
    if (adapter instanceof MuxPortClient) adapter.close();
    else adapter?.close();
    this.channel.close();
    return useFlag;
  }

  /** §7.2: the mode from the agent's version and the document's type (unless forced), and its adapter. */
  #start(info: ClientSessionInfo): PortSessionReady {
    const mode = this.#port.mode ?? clientPortMode(info.agentVersion, info.properties);
    if (mode === "mux") this.#adapter = this.#muxClient(info.agentVersion);
    else if (mode === "basic")
      this.#adapter = new BasicPortClient({ link: this.#link, ...this.#diagnostics() });
    return { mode, info };
  }

  #muxClient(agentVersion: string): MuxPortClient {
    const { mux, onConnectError } = this.#port;
    return new MuxPortClient({
      link: this.#link,
      // §3.6: smux keepalive stays on only for agents ≤ 3.1.1511.0, as the plugin does it.
      tuning: {
        keepAliveIntervalMs: clientSmuxKeepAlive(agentVersion) ? SMUX.keepAliveIntervalMs : 0,
        ...mux,
      },
      ...(this.#clock === undefined ? {} : { clock: this.#clock }),
      ...(onConnectError === undefined ? {} : { onConnectError }),
      ...this.#diagnostics(),
    });
  }

  /** The adapters' `onDiagnostic`, when the caller gave `onPortDiagnostic`. */
  #diagnostics(): { onDiagnostic?: (reason: string) => void } {
    const onPortDiagnostic = this.#port.onPortDiagnostic;
    return onPortDiagnostic === undefined ? {} : { onDiagnostic: onPortDiagnostic };
  }
}
