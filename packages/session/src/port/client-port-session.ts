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
import { BasicPortClient } from "./basic-port-client.js";
import { MuxPortClient } from "./mux-port-client.js";
import { clientPortLink } from "./port-link.js";
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

export function openClientPortSession(options: ClientPortSessionOptions): ClientPortSession {
  let adapter: Adapter | undefined;
  let streamAttached = false;
  const { mode: forcedMode, mux: muxTuning, onConnectError, onPortDiagnostic, ...channelOptions } = options;
  const channel = openClientDataChannel({
    ...channelOptions,
    supportedSessionTypes: [SessionType.Port],
    onOutput: (bytes) => adapter?.receive(bytes),
    onFlag: (flag) => {
      if (adapter !== undefined) adapter.flag(flag);
      else if (flag === FlagValue.ConnectToPortError) onConnectError?.();
    },
  });
  const link = clientPortLink(channel);
  // §4.4: Output waits at the agent (unacked) until the mode's local side exists.
  channel.acceptOutput(false);

  const ready = channel.ready.then((info): PortSessionReady => {
    const mode = forcedMode ?? clientPortMode(info.agentVersion, info.properties);
    if (mode === "mux")
      adapter = new MuxPortClient({
        link,
        // §3.6: smux keepalive stays on only for agents ≤ 3.1.1511.0, as the plugin does it.
        tuning: {
          keepAliveIntervalMs: clientSmuxKeepAlive(info.agentVersion) ? SMUX.keepAliveIntervalMs : 0,
          ...muxTuning,
        },
        ...(channelOptions.clock === undefined ? {} : { clock: channelOptions.clock }),
        ...(onConnectError === undefined ? {} : { onConnectError }),
        ...(onPortDiagnostic === undefined ? {} : { onDiagnostic: onPortDiagnostic }),
      });
    else if (mode === "basic")
      adapter = new BasicPortClient({
        link,
        ...(onPortDiagnostic === undefined ? {} : { onDiagnostic: onPortDiagnostic }),
      });
    return { mode, info };
  });
  ready.catch(() => {});

  const attachStdio = async (input: Readable, output: Writable): Promise<void> => {
    const { mode } = await ready;
    if (mode !== "stream" || streamAttached)
      throw new PortSessionError(
        mode === "stream"
          ? "This port session already carries its one stdin/stdout stream."
          : `This port session runs in ${mode} mode, not stdin/stdout stream mode.`,
        "Use connect() for local connections; start another session for another stream.",
      );
    streamAttached = true;
    const stream = new StreamPortClient({
      link,
      input,
      output,
      ...(onPortDiagnostic === undefined ? {} : { onDiagnostic: onPortDiagnostic }),
    });
    adapter = stream;
    await stream.inputEnded;
  };

  return {
    channel,
    ready,
    ended: channel.ended,
    async connect(local) {
      const { mode } = await ready;
      if (mode === "stream") return attachStdio(local, local);
      if (adapter instanceof MuxPortClient) return adapter.connect(local).done;
      if (adapter instanceof BasicPortClient) return adapter.connect(local);
    },
    attachStdio,
    muxSession: () => (adapter instanceof MuxPortClient ? adapter.session : undefined),
    async terminate(flushMs = 1000) {
      let info: ClientSessionInfo | undefined;
      try {
        info = (await ready).info;
      } catch {
        channel.close();
        return true;
      }
      const useFlag = clientUsesTerminateFlag(info.agentVersion);
      if (useFlag) {
        await channel.sendFlag(FlagValue.TerminateSession).catch(() => {});
        await channel.flush(flushMs);
      }
      if (adapter instanceof MuxPortClient) adapter.close();
      else adapter?.close();
      channel.close();
      return useFlag;
    },
  };
}
