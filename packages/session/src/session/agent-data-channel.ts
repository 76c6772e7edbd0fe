// The agent role (the SSM agent's half): asks for the handshake, decrypts the KMS data key, runs the
// challenge, then carries output, stderr and the exit code out and input, sizes and flags in.

import {
  encodeAgentSessionStateFrame,
  encodeExitCodePayload,
  parseSizePayload,
  type TerminalSize,
} from "../codec/control-payloads.js";
import type { ClientMessage, DigestPolicy } from "../codec/frame.js";
import { encodeAgentOpenDataChannel } from "../codec/open-data-channel.js";
import { HANDSHAKE, PayloadType, SessionType } from "../constants.js";
import { ChannelClosedError, type DataChannelError } from "../errors.js";
import type { DeliveryVerdict } from "../stream/incoming-stream.js";
import type { DataChannelTransport } from "../transport.js";
import {
  type AgentHandshakeSettings,
  AgentHandshakeStep,
  type AgentSessionInfo,
} from "./agent-handshake-step.js";
import type { DataChannelEnd, DataChannelStats } from "./data-channel-core.js";
import { RoleChannel, type RoleChannelOptions } from "./role-channel.js";

export type { AgentKmsOptions, AgentSessionInfo } from "./agent-handshake-step.js";

export interface AgentDataChannelOptions
  extends RoleChannelOptions<AgentSessionInfo>,
    AgentHandshakeSettings {
  /** Send the agent's OpenDataChannel text frame first (omit when the gateway attaches the agent itself). */
  open?: { token: string; clientId: string };
  /** Start with input accepted (default true). While false, input is left unacked (§7.1 "not ready"). */
  acceptInput?: boolean;
  onInput?: (bytes: Uint8Array) => void;
  onResize?: (size: TerminalSize) => void;
  /** Honour pause/start_publication (default true, as the agent does). */
  honourPublicationPause?: boolean;
  /** The agent never checks digests (§2.4); default "warn" processes the frame and reports a diagnostic. */
  digestPolicy?: (messageType: string) => DigestPolicy;
}

export interface AgentExitOptions {
  /** Send `EXIT_CODE: n` (PayloadType 12). Default: only for NonInteractiveCommands, as the agent does. */
  reportExitCode?: boolean;
  /** How long to wait for the peer to acknowledge everything before closing (2 s, §7.1). */
  drainTimeoutMs?: number;
}

export interface AgentDataChannel {
  readonly ready: Promise<AgentSessionInfo>;
  readonly ended: Promise<DataChannelEnd>;
  /** Stdout / pty output (PayloadType 1), split into frames; waits for `ready`. */
  write(bytes: Uint8Array): Promise<void>;
  /** Stderr (PayloadType 11). */
  writeStderr(bytes: Uint8Array): Promise<void>;
  /** A Flag payload, e.g. ConnectToPortError. */
  sendFlag(flag: number): Promise<void>;
  /** Ends the session: the exit code if asked, `agent_session_state Terminating`, a bounded drain, close. */
  exit(code: number, options?: AgentExitOptions): Promise<void>;
  acceptInput(accepting: boolean): void;
  close(): void;
  stats(): DataChannelStats;
  /**
   * §8: continue over a new transport (the agent's token from CreateDataChannel). Sends the agent's
   * OpenDataChannel when `open` was configured (with `token`, else the original), then resends every
   * unacknowledged frame.
   */
  replaceTransport(transport: DataChannelTransport, token?: string): void;
  readonly connected: boolean;
}

export function openAgentDataChannel(options: AgentDataChannelOptions): AgentDataChannel {
  return new AgentChannel(options);
}

/** The agent role: its payload handlers, its handshake step, what it sends and how it exits. */
class AgentChannel extends RoleChannel<AgentSessionInfo> implements AgentDataChannel {
  readonly #options: AgentDataChannelOptions;
  readonly #handshake: AgentHandshakeStep;
  #acceptingInput: boolean;

  constructor(options: AgentDataChannelOptions) {
    super("agent", options, {
      digestPolicy: () => "warn",
      honourPublicationPause: true,
    });
    this.#options = options;
    this.#acceptingInput = options.acceptInput ?? true;
    this.#handshake = new AgentHandshakeStep(this.core, options, (info) => this.becomeReady(info));
    this.core.payloads.handle({
      [PayloadType.Output]: (message) => this.#input(message),
      [PayloadType.Size]: (message) => this.#resize(message),
    });
    // Start: the open frame, then either the handshake or straight to work (§5.1).
    const open = options.open;
    if (open !== undefined) this.core.sendText(this.#openText(open.token));
    if (this.#handshake.needed) this.#handshake.start();
    else this.becomeReady({ clientVersion: "", encrypted: false, handshake: false });
  }

  async write(bytes: Uint8Array): Promise<void> {
    await this.afterReady();
    await this.core.sendChunked(PayloadType.Output, bytes);
  }

  async writeStderr(bytes: Uint8Array): Promise<void> {
    await this.afterReady();
    await this.core.sendChunked(PayloadType.StdErr, bytes);
  }

  /** §7.1: the exit code if asked, agent_session_state Terminating, a bounded drain, then close. */
  async exit(code: number, exitOptions: AgentExitOptions = {}): Promise<void> {
    const core = this.core;
    if (core.ended !== undefined) return;
    const report =
      exitOptions.reportExitCode ?? this.#options.sessionType === SessionType.NonInteractiveCommands;
    if (report && this.isReady) await core.sendStream(PayloadType.ExitCode, encodeExitCodePayload(code));
    core.sendControlFrame(encodeAgentSessionStateFrame("Terminating", this.#options.sessionId));
    await core.drainedWithin(exitOptions.drainTimeoutMs ?? HANDSHAKE.agentDrainTimeoutMs);
    core.end({ reason: "closed" });
  }

  acceptInput(accepting: boolean): void {
    this.#acceptingInput = accepting;
    if (accepting) this.core.incoming.retryBuffered();
  }

  replaceTransport(transport: DataChannelTransport, token?: string): void {
    const open = this.#options.open;
    this.core.replaceTransport(
      transport,
      open === undefined ? undefined : this.#openText(token ?? open.token),
    );
  }

  protected override stopTimers(): void {
    this.#handshake.stop();
  }

  protected override endedBeforeReady(): DataChannelError {
    return new ChannelClosedError("The session ended before it started.", "Start a new session.");
  }

  /** The agent's OpenDataChannel (§1.5): ClientInstanceId instead of ClientVersion. */
  #openText(token: string): string {
    const open = this.#options.open!;
    return encodeAgentOpenDataChannel({ token, clientId: open.clientId, instanceId: this.#options.targetId });
  }

  #input(message: ClientMessage): DeliveryVerdict {
    if (!this.#acceptingInput) return "not-ready";
    this.#options.onInput?.(this.core.unseal(message));
    return "delivered";
  }

  #resize(message: ClientMessage): DeliveryVerdict {
    if (!this.#acceptingInput) return "not-ready";
    const size = parseSizePayload(message.payload);
    if (size.ok) this.#options.onResize?.(size.value);
    else this.core.diagnose("warning", size.reason, message.messageType);
    return "delivered";
  }
}
