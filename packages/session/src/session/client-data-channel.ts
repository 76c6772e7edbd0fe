// The client role (the plugin's half): opens the channel, answers the handshake, sends keystrokes and sizes,
// and hands output, stderr and the exit code to its caller.

import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.js";
import { encodeSizePayload, parseExitCodePayload } from "../codec/control-payloads.js";
import type { ClientMessage, DigestPolicy } from "../codec/frame.js";
import { encodeClientOpenDataChannel } from "../codec/open-data-channel.js";
import { MessageType, PayloadType, SessionType, SHELL_SESSION_TYPES, VERSIONS } from "../constants.js";
import { PayloadCipher } from "../crypto/payload-cipher.js";
import { ChannelClosedError, type DataChannelError, describeError, HandshakeError } from "../errors.js";
import { answerHandshakeRequest } from "../handshake/client-handshake.js";
import type { GenerateDataKey } from "../handshake/data-key-functions.js";
import {
  encodeEncryptionChallenge,
  encodeHandshakeResponse,
  parseEncryptionChallenge,
  parseHandshakeComplete,
  parseHandshakeRequest,
} from "../handshake/messages.js";
import type { DeliveryVerdict } from "../stream/incoming-stream.js";
import type { DataChannelTransport, TransportCloseInfo } from "../transport.js";
import {
  DataChannelCore,
  type DataChannelDiagnostic,
  type DataChannelEnd,
  type DataChannelStats,
  type DataChannelTuning,
} from "./data-channel-core.js";

export interface ClientSessionInfo {
  /** `Standard_Stream` when the agent skipped the handshake (§5.1). */
  sessionType: string;
  /** SessionType properties (Port: portNumber, type, …); null for shells. */
  properties: unknown;
  /** Empty when there was no handshake. */
  agentVersion: string;
  encrypted: boolean;
  handshake: boolean;
  /** HandshakeComplete's CustomerMessage, e.g. "This session is encrypted using AWS KMS."; print it if non-empty. */
  customerMessage: string;
}

export interface ClientDataChannelOptions {
  transport: DataChannelTransport;
  /** StartSession's (or ResumeSession's) TokenValue. */
  token: string;
  /** One random UUID per client process, reused on reconnects (§1.5). */
  clientId?: string;
  /** Reported in OpenDataChannel and the HandshakeResponse; drives the agent's feature choices (§3.6). */
  clientVersion?: string;
  /** For KMS: the encryption context is {aws:ssm:SessionId, aws:ssm:TargetId} (§6.1). */
  sessionId?: string;
  targetId?: string;
  generateDataKey?: GenerateDataKey;
  acknowledgeChallenge?: boolean;
  /** Session types this client runs (default: the shell family and Port). */
  supportedSessionTypes?: readonly string[];
  onReady?: (info: ClientSessionInfo) => void;
  onOutput?: (bytes: Uint8Array) => void;
  /** PayloadType 11; falls back to onOutput when not given (as the plugin prints both). */
  onStderr?: (bytes: Uint8Array) => void;
  onExit?: (code: number) => void;
  onFlag?: (flag: number) => void;
  onEnd?: (end: DataChannelEnd) => void;
  onDiagnostic?: (diagnostic: DataChannelDiagnostic) => void;
  /**
   * Makes the channel resumable (§8). When given, a dropped transport does not end the channel: this is
   * called, and the caller gets a new token (ResumeSession), dials again and calls `replaceTransport`.
   */
  onTransportLost?: (info: TransportCloseInfo) => void;
  /**
   * WebSocket keepalive (§1.6): when the transport has `ping`, one right after open and then every this
   * many ms (default 300 000, the plugin's 5 min); 0 turns the timer off (`ping()` still works).
   */
  keepAliveIntervalMs?: number;
  clock?: Clock;
  tuning?: DataChannelTuning;
  /**
   * Honour pause_publication. The official client ignores it, and whether MGS sends start_publication to
   * clients is UNVERIFIED (§13): off by default, so a missing start can never freeze the client.
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

const HANDSHAKE_PAYLOADS: readonly number[] = [
  PayloadType.HandshakeRequest,
  PayloadType.HandshakeComplete,
  PayloadType.EncChallengeRequest,
];

export function openClientDataChannel(options: ClientDataChannelOptions): ClientDataChannel {
  const clientVersion = options.clientVersion ?? VERSIONS.defaultClientVersion;
  const clientId = options.clientId ?? randomUUID();
  let keepAliveTimer: ReturnType<DataChannelCore["clock"]["setTimeout"]> | undefined;
  let resolveReady!: (info: ClientSessionInfo) => void;
  let rejectReady!: (error: DataChannelError) => void;
  const ready = new Promise<ClientSessionInfo>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {}); // callers may never await it; its failure also reaches `ended`
  let resolveEnded!: (end: DataChannelEnd) => void;
  const ended = new Promise<DataChannelEnd>((resolve) => {
    resolveEnded = resolve;
  });

  let info: ClientSessionInfo | undefined;
  let handshakeSeen = false;
  let negotiated: Omit<ClientSessionInfo, "customerMessage" | "handshake"> | undefined;
  let acceptingOutput = true;

  const becomeReady = (value: ClientSessionInfo): void => {
    if (info !== undefined) return;
    info = value;
    resolveReady(value);
    options.onReady?.(value);
  };

  const core: DataChannelCore = new DataChannelCore({
    role: "client",
    transport: options.transport,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
    digestPolicy: options.digestPolicy ?? defaultClientDigestPolicy,
    honourPublicationPause: options.honourPublicationPause ?? false,
    ackBeforeDelivery: (message) => HANDSHAKE_PAYLOADS.includes(message.payloadType),
    deliver,
    ...(options.onDiagnostic === undefined ? {} : { onDiagnostic: options.onDiagnostic }),
    ...(options.onTransportLost === undefined ? {} : { onTransportLost: options.onTransportLost }),
    onEnd: (end) => {
      if (keepAliveTimer !== undefined) core.clock.clearTimeout(keepAliveTimer);
      keepAliveTimer = undefined;
      if (info === undefined)
        rejectReady(
          end.error ??
            new ChannelClosedError(
              end.output
                ? `The session ended before it started: ${end.output}`
                : "The session ended before it started.",
              "Check the target's SSM agent and your permissions, then start the session again.",
            ),
        );
      options.onEnd?.(end);
      resolveEnded(end);
    },
  });

  function deliver(message: ClientMessage): DeliveryVerdict {
    switch (message.payloadType) {
      case PayloadType.HandshakeRequest:
        onHandshakeRequest(message.payload);
        return "delivered";
      case PayloadType.EncChallengeRequest:
        onChallenge(message.payload);
        return "delivered";
      case PayloadType.HandshakeComplete: {
        const complete = parseHandshakeComplete(message.payload);
        if (!complete.ok) core.diagnose("warning", complete.reason, message.messageType);
        becomeReady({
          sessionType: negotiated?.sessionType ?? SessionType.StandardStream,
          properties: negotiated?.properties ?? null,
          agentVersion: negotiated?.agentVersion ?? "",
          encrypted: core.cipher !== undefined,
          handshake: true,
          customerMessage: complete.ok ? complete.value.CustomerMessage : "",
        });
        return "delivered";
      }
      case PayloadType.Output: {
        if (!acceptingOutput) return "not-ready";
        const bytes = core.unseal(message);
        if (info === undefined && !handshakeSeen)
          becomeReady({
            sessionType: SessionType.StandardStream,
            properties: null,
            agentVersion: "",
            encrypted: false,
            handshake: false,
            customerMessage: "",
          });
        options.onOutput?.(bytes);
        return "delivered";
      }
      case PayloadType.StdErr: {
        const bytes = core.unseal(message);
        (options.onStderr ?? options.onOutput)?.(bytes);
        return "delivered";
      }
      case PayloadType.ExitCode: {
        const exit = parseExitCodePayload(core.unseal(message));
        if (exit.ok) options.onExit?.(exit.value);
        else core.diagnose("warning", exit.reason, message.messageType);
        return "delivered";
      }
      case PayloadType.Flag:
        return core.deliverFlag(message, options.onFlag);
      default:
        return core.deliverUnhandled(message);
    }
  }

  function onHandshakeRequest(payload: Uint8Array): void {
    const request = parseHandshakeRequest(payload);
    if (!request.ok) {
      core.diagnose("dropped", request.reason, MessageType.OutputStreamData);
      return;
    }
    handshakeSeen = true;
    void answerHandshakeRequest(request.value, {
      clientVersion,
      supportedSessionTypes: options.supportedSessionTypes ?? [...SHELL_SESSION_TYPES, SessionType.Port],
      ...pickDefined({
        sessionId: options.sessionId,
        targetId: options.targetId,
        generateDataKey: options.generateDataKey,
        acknowledgeChallenge: options.acknowledgeChallenge,
      }),
    })
      .then((outcome) => {
        if (core.ended !== undefined) return;
        negotiated = {
          sessionType: outcome.sessionType ?? SessionType.StandardStream,
          properties: outcome.properties,
          agentVersion: outcome.agentVersion,
          encrypted: outcome.keys !== undefined,
        };
        // §6.5: encryption starts before the response goes out.
        if (outcome.keys !== undefined) core.cipher = new PayloadCipher(outcome.keys);
        if (outcome.failure !== undefined) rejectReady(outcome.failure);
        return core.sendStream(PayloadType.HandshakeResponse, encodeHandshakeResponse(outcome.response));
      })
      .catch((error: unknown) =>
        core.diagnose("warning", `handshake response not sent: ${describeError(error)}`),
      );
  }

  function onChallenge(payload: Uint8Array): void {
    const challenge = parseEncryptionChallenge(payload);
    if (!challenge.ok) {
      core.diagnose("dropped", challenge.reason, MessageType.OutputStreamData);
      return;
    }
    if (core.cipher === undefined) {
      core.end({
        reason: "failed",
        error: new HandshakeError(
          "The agent sent an encryption challenge but no KMS key was agreed.",
          "The agent and client disagree about encryption; update the agent or report this.",
        ),
      });
      return;
    }
    // Decrypt with our receive key, seal again with our send key (§5.5). A bad challenge throws and fails.
    const answer = core.cipher.encrypt(core.cipher.decrypt(challenge.value));
    core
      .sendStream(
        PayloadType.EncChallengeResponse,
        encodeEncryptionChallenge({ Challenge: Buffer.from(answer).toString("base64") }),
      )
      .catch((error: unknown) =>
        core.diagnose("warning", `challenge response not sent: ${describeError(error)}`),
      );
  }

  core.sendText(encodeClientOpenDataChannel({ token: options.token, clientId, clientVersion }));

  const keepAliveMs = options.keepAliveIntervalMs ?? KEEPALIVE_INTERVAL_MS;
  const scheduleKeepAlive = (): void => {
    if (keepAliveMs <= 0 || core.ended !== undefined) return;
    keepAliveTimer = core.clock.setTimeout(() => {
      keepAliveTimer = undefined;
      core.ping();
      scheduleKeepAlive();
    }, keepAliveMs);
  };
  if (options.transport.ping !== undefined) {
    core.ping();
    scheduleKeepAlive();
  }

  const afterReady = async (): Promise<void> => {
    try {
      await ready;
    } catch (error) {
      throw error instanceof Error ? error : new ChannelClosedError(String(error), "Open a new session.");
    }
  };

  return {
    ready,
    ended,
    async sendInput(bytes) {
      await afterReady();
      await core.sendChunked(PayloadType.Output, bytes);
    },
    async resize(cols, rows) {
      const payload = encodeSizePayload({ cols, rows });
      await afterReady();
      await core.sendStream(PayloadType.Size, payload);
    },
    async sendFlag(flag) {
      await afterReady();
      await core.sendFlag(flag);
    },
    acceptOutput(accepting) {
      acceptingOutput = accepting;
      if (accepting) core.incoming.retryBuffered();
    },
    close() {
      core.end({ reason: "closed" });
    },
    stats: () => core.stats(),
    replaceTransport(transport, token) {
      core.replaceTransport(transport, encodeClientOpenDataChannel({ token, clientId, clientVersion }));
      if (core.ping() && keepAliveTimer === undefined) scheduleKeepAlive();
    },
    ping: () => core.ping(),
    flush(timeoutMs) {
      if (core.ended !== undefined) return Promise.resolve(false);
      return core
        .drainedWithin(timeoutMs)
        .then((drained) => drained && (core.ended === undefined || core.ended.reason !== "failed"));
    },
    get connected() {
      return core.connected;
    },
  };
}

/** §1.6: the plugin pings right after open and then every 5 minutes. */
const KEEPALIVE_INTERVAL_MS = 300_000;

function pickDefined<T extends object>(source: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined) out[key as keyof T] = value;
  return out;
}
