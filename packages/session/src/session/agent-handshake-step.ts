// The agent's half of the handshake (§5) on a live channel: sends the HandshakeRequest, judges the answer,
// decrypts the KMS data key, runs the encryption challenge and completes, each wait bounded by a timer.
// Until it completes only the answer it waits for is taken; anything else is acked and discarded (§4.4).

import type { TimerHandle } from "../clock.js";
import type { ClientMessage } from "../codec/frame.js";
import { HANDSHAKE, PayloadType, SessionType, VERSIONS } from "../constants.js";
import { sessionEncryptionContext, splitDataKey } from "../crypto/data-key.js";
import { counterNonceSource, PayloadCipher } from "../crypto/payload-cipher.js";
import { type DataChannelError, DataKeyError, describeError, HandshakeError } from "../errors.js";
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
import type { DataChannelCore } from "./data-channel-core.js";

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

/** What the agent channel's options say about the handshake. */
export interface AgentHandshakeSettings {
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
  /** Extra text for HandshakeComplete's CustomerMessage (the KMS sentence is added when encrypted). */
  customerMessage?: string;
  handshakeTimeoutMs?: number;
  challengeTimeoutMs?: number;
}

type HandshakeStage =
  | { name: "none" }
  | { name: "awaiting-response"; request: HandshakeRequest; startedAt: number }
  | { name: "decrypting-key"; startedAt: number }
  | { name: "awaiting-challenge"; expected: Uint8Array; clientVersion: string; startedAt: number }
  | { name: "complete" };

type AwaitingResponse = Extract<HandshakeStage, { name: "awaiting-response" }>;
type AwaitingChallenge = Extract<HandshakeStage, { name: "awaiting-challenge" }>;
type KmsVerdict = { ciphertextKey: Uint8Array; challengeAcknowledged: boolean };

export class AgentHandshakeStep {
  readonly #core: DataChannelCore;
  readonly #settings: AgentHandshakeSettings;
  readonly #onComplete: (info: AgentSessionInfo) => void;
  readonly #kmsOn: boolean;
  #stage: HandshakeStage = { name: "none" };
  #timer: TimerHandle | undefined;

  constructor(
    core: DataChannelCore,
    settings: AgentHandshakeSettings,
    onComplete: (info: AgentSessionInfo) => void,
  ) {
    this.#core = core;
    this.#settings = settings;
    this.#onComplete = onComplete;
    this.#kmsOn = settings.kms !== undefined && kmsApplies(settings.sessionType, true);
  }

  /** §5.1: shells shake hands only for KMS; NonInteractiveCommands and Port always. */
  get needed(): boolean {
    return needsHandshake(this.#settings.sessionType, this.#kmsOn);
  }

  /** Sends the HandshakeRequest and waits (bounded) for the client's response. */
  start(): void {
    const settings = this.#settings;
    const request = buildHandshakeRequest({
      agentVersion: settings.agentVersion ?? VERSIONS.defaultAgentVersion,
      sessionType: settings.sessionType,
      properties: settings.sessionType === SessionType.Port ? (settings.properties ?? null) : null,
      ...(this.#kmsOn && settings.kms !== undefined
        ? { kms: { keyId: settings.kms.keyId, challenge: newRequestChallenge() } }
        : {}),
    });
    this.#core.payloads.enterPhase({
      handlers: {
        [PayloadType.HandshakeResponse]: (message) => this.#takeResponse(message),
        [PayloadType.EncChallengeResponse]: (message) => this.#takeChallengeResponse(message),
      },
      otherwise: (message) => this.#discard(message),
    });
    this.#stage = { name: "awaiting-response", request, startedAt: this.#core.clock.now() };
    this.#startTimer(
      settings.handshakeTimeoutMs ?? HANDSHAKE.responseTimeoutMs,
      "Handshake timed out. Please ensure that you have the latest version of the session manager plugin.",
    );
    this.#core.sendStream(PayloadType.HandshakeRequest, encodeHandshakeRequest(request)).catch(() => {});
  }

  /** The channel ended: no timer may fire. */
  stop(): void {
    if (this.#timer !== undefined) this.#core.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #discard(message: ClientMessage): DeliveryVerdict {
    this.#core.diagnose(
      "ignored",
      `payload type ${message.payloadType} arrived before the handshake completed; acknowledged and discarded`,
      message.messageType,
    );
    return "delivered";
  }

  #takeResponse(message: ClientMessage): DeliveryVerdict {
    const stage = this.#stage;
    if (stage.name !== "awaiting-response") return this.#discard(message);
    const response = parseHandshakeResponse(message.payload);
    if (!response.ok) {
      this.#fail(
        new HandshakeError(
          `Encountered error while initiating handshake. ${response.reason}`,
          "Update the client.",
        ),
      );
      return "delivered";
    }
    const verdict = evaluateHandshakeResponse(response.value, stage.request, {
      requireChallengeAcknowledgement: this.#settings.kms?.requireChallengeAcknowledgement ?? false,
    });
    if (!verdict.ok)
      this.#fail(
        new HandshakeError(verdict.message, "Fix what the client reported and start the session again."),
      );
    else if (verdict.kms === undefined || this.#settings.kms === undefined)
      this.#complete(verdict.clientVersion, stage.startedAt);
    else this.#decryptDataKey(verdict.kms, verdict.clientVersion, stage);
    return "delivered";
  }

  /** §6.1–§6.3: kms:Decrypt of the client's data key, with the session's encryption context. */
  #decryptDataKey(verdict: KmsVerdict, clientVersion: string, stage: AwaitingResponse): void {
    const kms = this.#settings.kms!;
    const requestChallenge = kmsRequestChallenge(stage.request);
    const context = sessionEncryptionContext(
      this.#settings.sessionId,
      this.#settings.targetId,
      verdict.challengeAcknowledged ? requestChallenge : undefined,
    );
    this.stop();
    const startedAt = stage.startedAt;
    this.#stage = { name: "decrypting-key", startedAt };
    kms.decrypt({ ciphertextBlob: verdict.ciphertextKey, keyId: kms.keyId, encryptionContext: context }).then(
      (plaintext) => this.#sendChallenge(plaintext, clientVersion, startedAt),
      (error: unknown) =>
        this.#fail(
          error instanceof DataKeyError
            ? error
            : new DataKeyError(
                `Encountered error while initiating handshake. Fetching data key failed: ${describeError(error)}`,
                "The instance role needs kms:Decrypt on the session key with this encryption context.",
              ),
        ),
    );
  }

  /** §5.5: encryption is on from here; the client must decrypt and re-seal 64 random bytes. */
  #sendChallenge(plaintext: Uint8Array, clientVersion: string, startedAt: number): void {
    const core = this.#core;
    if (core.ended !== undefined) return;
    const cipher = new PayloadCipher(splitDataKey(plaintext, "agent"), counterNonceSource());
    core.cipher = cipher;
    const expected = newEncryptionChallenge();
    const sealed = cipher.encrypt(expected);
    this.#stage = { name: "awaiting-challenge", expected, clientVersion, startedAt };
    this.#startTimer(
      this.#settings.challengeTimeoutMs ?? HANDSHAKE.challengeTimeoutMs,
      "Timed out waiting for the encryption challenge response.",
    );
    core
      .sendStream(
        PayloadType.EncChallengeRequest,
        encodeEncryptionChallenge({ Challenge: Buffer.from(sealed).toString("base64") }),
      )
      .catch(() => {});
  }

  #takeChallengeResponse(message: ClientMessage): DeliveryVerdict {
    const stage = this.#stage;
    if (stage.name !== "awaiting-challenge") return this.#discard(message);
    if (this.#challengeAnswered(message.payload, stage)) this.#complete(stage.clientVersion, stage.startedAt);
    else
      this.#fail(
        new HandshakeError(
          "Encountered error while initiating handshake. Encryption challenge does not match.",
          "The client derived different keys from the data key; update the client.",
        ),
      );
    return "delivered";
  }

  #challengeAnswered(payload: Uint8Array, stage: AwaitingChallenge): boolean {
    const answer = parseEncryptionChallenge(payload);
    const decryptKey = this.#core.cipher;
    if (!answer.ok || decryptKey === undefined) return false;
    try {
      return challengeMatches(stage.expected, decryptKey.decrypt(answer.value));
    } catch {
      return false;
    }
  }

  /** §5.6: HandshakeComplete (with the KMS sentence when encrypted); the session is ready. */
  #complete(clientVersion: string, startedAt: number): void {
    const core = this.#core;
    this.stop();
    this.#stage = { name: "complete" };
    this.#core.payloads.leavePhase();
    const parts = [
      this.#settings.customerMessage ?? "",
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
    this.#onComplete({ clientVersion, encrypted: core.cipher !== undefined, handshake: true });
  }

  #fail(error: DataChannelError): void {
    this.stop();
    this.#core.end({ reason: "failed", error });
  }

  #startTimer(ms: number, message: string): void {
    this.stop();
    this.#timer = this.#core.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#fail(
        new HandshakeError(
          message,
          "Use a current Session Manager client (tobira, or session-manager-plugin ≥ 1.2.764.0).",
        ),
      );
    }, ms);
  }
}

function kmsRequestChallenge(request: HandshakeRequest): string | undefined {
  const action = request.RequestedClientActions.find((a) => a.ActionType === "KMSEncryption");
  const params = action?.ActionParameters as { Challenge?: unknown } | undefined;
  return typeof params?.Challenge === "string" ? params.Challenge : undefined;
}
