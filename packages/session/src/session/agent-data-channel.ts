// The agent role (the SSM agent's half): asks for the handshake, decrypts the KMS data key, runs the
// challenge, then carries output, stderr and the exit code out and input, sizes and flags in.

import type { Clock } from "../clock.js";
import {
  encodeAgentSessionStateFrame,
  encodeExitCodePayload,
  parseSizePayload,
  type TerminalSize,
} from "../codec/control-payloads.js";
import type { ClientMessage, DigestPolicy } from "../codec/frame.js";
import { encodeAgentOpenDataChannel } from "../codec/open-data-channel.js";
import { HANDSHAKE, PayloadType, SessionType, VERSIONS } from "../constants.js";
import { sessionEncryptionContext, splitDataKey } from "../crypto/data-key.js";
import { counterNonceSource, PayloadCipher } from "../crypto/payload-cipher.js";
import {
  ChannelClosedError,
  type DataChannelError,
  DataKeyError,
  describeError,
  HandshakeError,
} from "../errors.js";
import {
  buildHandshakeRequest,
  challengeMatches,
  evaluateHandshakeResponse,
  kmsApplies,
  needsHandshake,
  newEncryptionChallenge,
  newRequestChallenge,
} from "../handshake/agent-handshake.js";
import type { DecryptDataKey } from "../handshake/data-key-functions.js";
import {
  encodeEncryptionChallenge,
  encodeHandshakeComplete,
  encodeHandshakeRequest,
  type HandshakeRequest,
  parseEncryptionChallenge,
  parseHandshakeResponse,
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

export interface AgentKmsOptions {
  /** The session preferences' KMS key id or ARN. */
  keyId: string;
  /** kms:Decrypt as the instance role. */
  decrypt: DecryptDataKey;
  /** Reject clients that do not acknowledge the challenge (the agent's default is false, §6.4). */
  requireChallengeAcknowledgement?: boolean;
}

export interface AgentSessionInfo {
  /** Empty when there was no handshake. */
  clientVersion: string;
  encrypted: boolean;
  handshake: boolean;
}

export interface AgentDataChannelOptions {
  transport: DataChannelTransport;
  sessionId: string;
  /** The instance / managed-node id: the KMS context's aws:ssm:TargetId. */
  targetId: string;
  /** Standard_Stream, InteractiveCommands, NonInteractiveCommands or Port. */
  sessionType: string;
  /** The document's properties for Port sessions; null for shells. */
  properties?: unknown;
  /** 4-part numeric, or the official plugin disables features (§3.6). */
  agentVersion?: string;
  /** KMS encryption from the session preferences; ignored for Port (§5.1). */
  kms?: AgentKmsOptions;
  /** Send the agent's OpenDataChannel text frame first (omit when the gateway attaches the agent itself). */
  open?: { token: string; clientId: string };
  /** Extra text for HandshakeComplete's CustomerMessage (the KMS sentence is added when encrypted). */
  customerMessage?: string;
  handshakeTimeoutMs?: number;
  challengeTimeoutMs?: number;
  /** Start with input accepted (default true). While false, input is left unacked (§7.1 "not ready"). */
  acceptInput?: boolean;
  onReady?: (info: AgentSessionInfo) => void;
  onInput?: (bytes: Uint8Array) => void;
  onResize?: (size: TerminalSize) => void;
  onFlag?: (flag: number) => void;
  onEnd?: (end: DataChannelEnd) => void;
  onDiagnostic?: (diagnostic: DataChannelDiagnostic) => void;
  /** Makes the channel resumable (§8): a dropped transport waits for `replaceTransport` instead of ending. */
  onTransportLost?: (info: TransportCloseInfo) => void;
  clock?: Clock;
  tuning?: DataChannelTuning;
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

type HandshakeStage =
  | { name: "none" }
  | { name: "awaiting-response"; request: HandshakeRequest; startedAt: number }
  | { name: "decrypting-key"; startedAt: number }
  | { name: "awaiting-challenge"; expected: Uint8Array; clientVersion: string; startedAt: number }
  | { name: "complete" };

export function openAgentDataChannel(options: AgentDataChannelOptions): AgentDataChannel {
  const kmsOn = options.kms !== undefined && kmsApplies(options.sessionType, true);
  let resolveReady!: (info: AgentSessionInfo) => void;
  let rejectReady!: (error: DataChannelError) => void;
  const ready = new Promise<AgentSessionInfo>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {});
  let resolveEnded!: (end: DataChannelEnd) => void;
  const ended = new Promise<DataChannelEnd>((resolve) => {
    resolveEnded = resolve;
  });
  let stage: HandshakeStage = { name: "none" };
  let isReady = false;
  let acceptingInput = options.acceptInput ?? true;
  let timer: ReturnType<DataChannelCore["clock"]["setTimeout"]> | undefined;

  const core: DataChannelCore = new DataChannelCore({
    role: "agent",
    transport: options.transport,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
    digestPolicy: options.digestPolicy ?? (() => "warn"),
    honourPublicationPause: options.honourPublicationPause ?? true,
    deliver,
    ...(options.onDiagnostic === undefined ? {} : { onDiagnostic: options.onDiagnostic }),
    ...(options.onTransportLost === undefined ? {} : { onTransportLost: options.onTransportLost }),
    onEnd: (end) => {
      clearTimer();
      if (!isReady)
        rejectReady(
          end.error ?? new ChannelClosedError("The session ended before it started.", "Start a new session."),
        );
      options.onEnd?.(end);
      resolveEnded(end);
    },
  });

  function clearTimer(): void {
    if (timer !== undefined) core.clock.clearTimeout(timer);
    timer = undefined;
  }

  function fail(error: DataChannelError): void {
    clearTimer();
    core.end({ reason: "failed", error });
  }

  function startTimer(ms: number, message: string): void {
    clearTimer();
    timer = core.clock.setTimeout(() => {
      timer = undefined;
      fail(
        new HandshakeError(
          message,
          "Use a current Session Manager client (tobira, or session-manager-plugin ≥ 1.2.764.0).",
        ),
      );
    }, ms);
  }

  function becomeReady(value: AgentSessionInfo): void {
    if (isReady) return;
    isReady = true;
    resolveReady(value);
    options.onReady?.(value);
  }

  function complete(clientVersion: string, startedAt: number): void {
    clearTimer();
    stage = { name: "complete" };
    const parts = [
      options.customerMessage ?? "",
      core.cipher !== undefined ? HANDSHAKE.kmsCustomerMessage : "",
    ];
    const customerMessage = parts.filter((p) => p !== "").join("\n");
    core
      .sendStream(
        PayloadType.HandshakeComplete,
        encodeHandshakeComplete({
          HandshakeTimeToComplete: Math.max(0, core.clock.now() - startedAt) * 1_000_000,
          CustomerMessage: customerMessage,
        }),
      )
      .catch(() => {});
    becomeReady({ clientVersion, encrypted: core.cipher !== undefined, handshake: true });
  }

  function deliver(message: ClientMessage): DeliveryVerdict {
    if (stage.name !== "complete" && stage.name !== "none") return deliverDuringHandshake(message);
    switch (message.payloadType) {
      case PayloadType.Output:
        if (!acceptingInput) return "not-ready";
        options.onInput?.(core.unseal(message));
        return "delivered";
      case PayloadType.Size: {
        if (!acceptingInput) return "not-ready";
        const size = parseSizePayload(message.payload);
        if (size.ok) options.onResize?.(size.value);
        else core.diagnose("warning", size.reason, message.messageType);
        return "delivered";
      }
      case PayloadType.Flag:
        return core.deliverFlag(message, options.onFlag);
      default:
        return core.deliverUnhandled(message);
    }
  }

  /** §4.4: until the handshake completes, only its answers count; anything else is acked and discarded. */
  function deliverDuringHandshake(message: ClientMessage): DeliveryVerdict {
    if (message.payloadType === PayloadType.HandshakeResponse && stage.name === "awaiting-response") {
      onHandshakeResponse(message.payload, stage.request, stage.startedAt);
    } else if (
      message.payloadType === PayloadType.EncChallengeResponse &&
      stage.name === "awaiting-challenge"
    ) {
      onChallengeResponse(message.payload, stage.expected, stage.clientVersion, stage.startedAt);
    } else {
      core.diagnose(
        "ignored",
        `payload type ${message.payloadType} arrived before the handshake completed; acknowledged and discarded`,
        message.messageType,
      );
    }
    return "delivered";
  }

  function onHandshakeResponse(payload: Uint8Array, request: HandshakeRequest, startedAt: number): void {
    const response = parseHandshakeResponse(payload);
    if (!response.ok) {
      fail(
        new HandshakeError(
          `Encountered error while initiating handshake. ${response.reason}`,
          "Update the client.",
        ),
      );
      return;
    }
    const verdict = evaluateHandshakeResponse(response.value, request, {
      requireChallengeAcknowledgement: options.kms?.requireChallengeAcknowledgement ?? false,
    });
    if (!verdict.ok) {
      fail(new HandshakeError(verdict.message, "Fix what the client reported and start the session again."));
      return;
    }
    if (verdict.kms === undefined || options.kms === undefined) {
      complete(verdict.clientVersion, startedAt);
      return;
    }
    const kms = options.kms;
    const clientVersion = verdict.clientVersion;
    const requestChallenge = kmsRequestChallenge(request);
    const context = sessionEncryptionContext(
      options.sessionId,
      options.targetId,
      verdict.kms.challengeAcknowledged ? requestChallenge : undefined,
    );
    clearTimer();
    stage = { name: "decrypting-key", startedAt };
    kms
      .decrypt({ ciphertextBlob: verdict.kms.ciphertextKey, keyId: kms.keyId, encryptionContext: context })
      .then(
        (plaintext) => {
          if (core.ended !== undefined) return;
          const cipher = new PayloadCipher(splitDataKey(plaintext, "agent"), counterNonceSource());
          core.cipher = cipher;
          const expected = newEncryptionChallenge();
          const sealed = cipher.encrypt(expected);
          stage = { name: "awaiting-challenge", expected, clientVersion, startedAt };
          startTimer(
            options.challengeTimeoutMs ?? HANDSHAKE.challengeTimeoutMs,
            "Timed out waiting for the encryption challenge response.",
          );
          core
            .sendStream(
              PayloadType.EncChallengeRequest,
              encodeEncryptionChallenge({ Challenge: Buffer.from(sealed).toString("base64") }),
            )
            .catch(() => {});
        },
        (error: unknown) =>
          fail(
            error instanceof DataKeyError
              ? error
              : new DataKeyError(
                  `Encountered error while initiating handshake. Fetching data key failed: ${describeError(error)}`,
                  "The instance role needs kms:Decrypt on the session key with this encryption context.",
                ),
          ),
      );
  }

  function onChallengeResponse(
    payload: Uint8Array,
    expected: Uint8Array,
    clientVersion: string,
    startedAt: number,
  ): void {
    const answer = parseEncryptionChallenge(payload);
    const decryptKey = core.cipher;
    let matches = false;
    if (answer.ok && decryptKey !== undefined) {
      try {
        matches = challengeMatches(expected, decryptKey.decrypt(answer.value));
      } catch {
        matches = false;
      }
    }
    if (!matches) {
      fail(
        new HandshakeError(
          "Encountered error while initiating handshake. Encryption challenge does not match.",
          "The client derived different keys from the data key; update the client.",
        ),
      );
      return;
    }
    complete(clientVersion, startedAt);
  }

  function kmsRequestChallenge(request: HandshakeRequest): string | undefined {
    const action = request.RequestedClientActions.find((a) => a.ActionType === "KMSEncryption");
    const params = action?.ActionParameters as { Challenge?: unknown } | undefined;
    return typeof params?.Challenge === "string" ? params.Challenge : undefined;
  }

  // Start: the open frame, then either the handshake or straight to work (§5.1).
  if (options.open !== undefined)
    core.sendText(
      encodeAgentOpenDataChannel({
        token: options.open.token,
        clientId: options.open.clientId,
        instanceId: options.targetId,
      }),
    );
  if (needsHandshake(options.sessionType, kmsOn)) {
    const request = buildHandshakeRequest({
      agentVersion: options.agentVersion ?? VERSIONS.defaultAgentVersion,
      sessionType: options.sessionType,
      properties: options.sessionType === SessionType.Port ? (options.properties ?? null) : null,
      ...(kmsOn && options.kms !== undefined
        ? { kms: { keyId: options.kms.keyId, challenge: newRequestChallenge() } }
        : {}),
    });
    stage = { name: "awaiting-response", request, startedAt: core.clock.now() };
    startTimer(
      options.handshakeTimeoutMs ?? HANDSHAKE.responseTimeoutMs,
      "Handshake timed out. Please ensure that you have the latest version of the session manager plugin.",
    );
    core.sendStream(PayloadType.HandshakeRequest, encodeHandshakeRequest(request)).catch(() => {});
  } else {
    becomeReady({ clientVersion: "", encrypted: false, handshake: false });
  }

  const afterReady = async (): Promise<void> => {
    await ready;
  };

  return {
    ready,
    ended,
    async write(bytes) {
      await afterReady();
      await core.sendChunked(PayloadType.Output, bytes);
    },
    async writeStderr(bytes) {
      await afterReady();
      await core.sendChunked(PayloadType.StdErr, bytes);
    },
    async sendFlag(flag) {
      await afterReady();
      await core.sendFlag(flag);
    },
    async exit(code, exitOptions = {}) {
      if (core.ended !== undefined) return;
      const report = exitOptions.reportExitCode ?? options.sessionType === SessionType.NonInteractiveCommands;
      if (report && isReady) await core.sendStream(PayloadType.ExitCode, encodeExitCodePayload(code));
      core.sendControlFrame(encodeAgentSessionStateFrame("Terminating", options.sessionId));
      await core.drainedWithin(exitOptions.drainTimeoutMs ?? HANDSHAKE.agentDrainTimeoutMs);
      core.end({ reason: "closed" });
    },
    acceptInput(accepting) {
      acceptingInput = accepting;
      if (accepting) core.incoming.retryBuffered();
    },
    close() {
      core.end({ reason: "closed" });
    },
    stats: () => core.stats(),
    replaceTransport(transport, token) {
      const open = options.open;
      core.replaceTransport(
        transport,
        open === undefined
          ? undefined
          : encodeAgentOpenDataChannel({
              token: token ?? open.token,
              clientId: open.clientId,
              instanceId: options.targetId,
            }),
      );
    },
    get connected() {
      return core.connected;
    },
  };
}
