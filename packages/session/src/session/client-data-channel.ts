// The client role (the plugin's half): opens the channel, answers the handshake, sends keystrokes and sizes,
// and hands output, stderr and the exit code to its caller.

import { randomUUID } from "node:crypto";
import { encodeSizePayload, parseExitCodePayload } from "../codec/control-payloads.js";
import type { ClientMessage, DigestPolicy } from "../codec/frame.js";
import { encodeClientOpenDataChannel } from "../codec/open-data-channel.js";
import { MessageType, PayloadType, SessionType } from "../constants.js";
import { ChannelClosedError, type DataChannelError } from "../errors.js";
import type { DeliveryVerdict } from "../stream/incoming-stream.js";
import type { DataChannelTransport } from "../transport.js";
import {
  ackedBeforeProcessing,
  type ClientHandshakeSettings,
  ClientHandshakeStep,
  type ClientSessionInfo,
} from "./client-handshake-step.js";
import type { DataChannelEnd, DataChannelStats } from "./data-channel-core.js";
import { KeepAlive } from "./keep-alive.js";
import { RoleChannel, type RoleChannelOptions } from "./role-channel.js";

export type { ClientSessionInfo } from "./client-handshake-step.js";

export interface ClientDataChannelOptions
  extends RoleChannelOptions<ClientSessionInfo>,
    ClientHandshakeSettings {
  /** StartSession's (or ResumeSession's) TokenValue. */
  token: string;
  /** One random UUID per client process, reused on reconnects (§1.5). */
  clientId?: string;
  onOutput?: (bytes: Uint8Array) => void;
  /** PayloadType 11; falls back to onOutput when not given (as the plugin prints both). */
  onStderr?: (bytes: Uint8Array) => void;
  onExit?: (code: number) => void;
  /**
   * WebSocket keepalive (§1.6): when the transport has `ping`, one right after open and then every this
   * many ms (default 300 000, the plugin's 5 min); 0 turns the timer off (`ping()` still works).
   */
  keepAliveIntervalMs?: number;
  /**
   * Stop on pause_publication until start_publication. The official client ignores it, and whether MGS sends
   * start_publication to clients is UNVERIFIED (§13): off by default, so a missing start can never freeze the
   * client. Without it pause_publication is a rate signal: back off, hold data frames for at most 1 s.
   */
  honourPublicationPause?: boolean;
  /**
   * Digest checking (§2.4): by default enforced on output_stream_data, acknowledge and channel_closed, and a
   * warning for other types.
   */
  digestPolicy?: (messageType: string) => DigestPolicy;
}

export interface ClientDataChannel {
  /** Resolves when the session type is known (HandshakeComplete, or the first output without a handshake). */
  readonly ready: Promise<ClientSessionInfo>;
  /** Resolves once, when the channel ends for any reason. */
  readonly ended: Promise<DataChannelEnd>;
  /** Keystrokes / stdin (PayloadType 1), split into frames; waits for `ready`, resolves once queued. */
  sendInput(bytes: Uint8Array): Promise<void>;
  /** Terminal size (PayloadType 3). */
  resize(cols: number, rows: number): Promise<void>;
  /** A Flag payload (PayloadType 10), e.g. TerminateSession for port sessions. */
  sendFlag(flag: number): Promise<void>;
  /** While false, incoming Output is left unacknowledged so the agent resends it later (port sessions, §4.4). */
  acceptOutput(accepting: boolean): void;
  /** Ends the channel from this side and closes the transport. */
  close(): void;
  stats(): DataChannelStats;
  /**
   * §8: continue over a new transport with ResumeSession's token. Sends OpenDataChannel (new RequestId,
   * same ClientId), then resends every unacknowledged frame; sequence numbers and keys carry on.
   */
  replaceTransport(transport: DataChannelTransport, token: string): void;
  /**
   * Resolves true when everything sent so far has been acknowledged, false after `timeoutMs` (or when the
   * channel ended first). For a clean exit: TerminateSession flag, flush, close.
   */
  flush(timeoutMs: number): Promise<boolean>;
  /** A WebSocket ping now; false when the transport has no ping or is down. */
  ping(): boolean;
  /** False between a transport drop and `replaceTransport`. */
  readonly connected: boolean;
}

export function defaultClientDigestPolicy(messageType: string): DigestPolicy {
  return messageType === MessageType.OutputStreamData ||
    messageType === MessageType.Acknowledge ||
    messageType === MessageType.ChannelClosed
    ? "enforce"
    : "warn";
}

export function openClientDataChannel(options: ClientDataChannelOptions): ClientDataChannel {
  return new ClientChannel(options);
}

/** The client role: its payload handlers, its handshake step and keepalive, and what it sends. */
class ClientChannel extends RoleChannel<ClientSessionInfo> implements ClientDataChannel {
  readonly #options: ClientDataChannelOptions;
  readonly #clientId: string;
  readonly #handshake: ClientHandshakeStep;
  readonly #keepAlive: KeepAlive;
  #acceptingOutput = true;

  constructor(options: ClientDataChannelOptions) {
    super("client", options, {
      digestPolicy: defaultClientDigestPolicy,
      honourPublicationPause: false,
      ackBeforeDelivery: ackedBeforeProcessing,
    });
    this.#options = options;
    this.#clientId = options.clientId ?? randomUUID();
    this.#handshake = new ClientHandshakeStep(this.core, options, {
      becomeReady: (info) => this.becomeReady(info),
      failReady: (error) => this.failReady(error),
    });
    this.#keepAlive = new KeepAlive(this.core, options.keepAliveIntervalMs);
    this.core.payloads.handle({
      ...this.#handshake.handlers(),
      [PayloadType.Output]: (message) => this.#output(message),
      [PayloadType.StdErr]: (message) => this.#stderr(message),
      [PayloadType.ExitCode]: (message) => this.#exitCode(message),
    });
    this.core.sendText(this.#openText(options.token));
    if (options.transport.ping !== undefined) this.#keepAlive.start();
  }

  async sendInput(bytes: Uint8Array): Promise<void> {
    await this.afterReady();
    await this.core.sendChunked(PayloadType.Output, bytes);
  }

  async resize(cols: number, rows: number): Promise<void> {
    const payload = encodeSizePayload({ cols, rows });
    await this.afterReady();
    await this.core.sendStream(PayloadType.Size, payload);
  }

  acceptOutput(accepting: boolean): void {
    this.#acceptingOutput = accepting;
    if (accepting) this.core.incoming.retryBuffered();
  }

  replaceTransport(transport: DataChannelTransport, token: string): void {
    this.core.replaceTransport(transport, this.#openText(token));
    this.#keepAlive.restart();
  }

  ping(): boolean {
    return this.core.ping();
  }

  flush(timeoutMs: number): Promise<boolean> {
    const core = this.core;
    if (core.ended !== undefined) return Promise.resolve(false);
    return core
      .drainedWithin(timeoutMs)
      .then((drained) => drained && (core.ended === undefined || core.ended.reason !== "failed"));
  }

  protected override stopTimers(): void {
    this.#keepAlive.stop();
  }

  protected override endedBeforeReady(end: DataChannelEnd): DataChannelError {
    return new ChannelClosedError(
      end.output
        ? `The session ended before it started: ${end.output}`
        : "The session ended before it started.",
      "Check the target's SSM agent and your permissions, then start the session again.",
    );
  }

  /** OpenDataChannel (§1.5): a new RequestId each time, the same ClientId. */
  #openText(token: string): string {
    return encodeClientOpenDataChannel({
      token,
      clientId: this.#clientId,
      clientVersion: this.#handshake.clientVersion,
    });
  }

  #output(message: ClientMessage): DeliveryVerdict {
    if (!this.#acceptingOutput) return "not-ready";
    const bytes = this.core.unseal(message);
    // §5.1: an agent that skips the handshake starts with output; that makes the session ready.
    if (!this.isReady && !this.#handshake.seen)
      this.becomeReady({
        sessionType: SessionType.StandardStream,
        properties: null,
        agentVersion: "",
        encrypted: false,
        handshake: false,
        customerMessage: "",
      });
    this.#options.onOutput?.(bytes);
    return "delivered";
  }

  #stderr(message: ClientMessage): DeliveryVerdict {
    const bytes = this.core.unseal(message);
    (this.#options.onStderr ?? this.#options.onOutput)?.(bytes);
    return "delivered";
  }

  #exitCode(message: ClientMessage): DeliveryVerdict {
    const exit = parseExitCodePayload(this.core.unseal(message));
    if (exit.ok) this.#options.onExit?.(exit.value);
    else this.core.diagnose("warning", exit.reason, message.messageType);
    return "delivered";
  }
}
