// The client's half of the handshake (§5) on a live channel: answers the HandshakeRequest (the KMS data key
// included), turns the encryption challenge around, and reads HandshakeComplete into the session info.

import type { ClientMessage } from "../codec/frame.js";
import { MessageType, PayloadType, SessionType, SHELL_SESSION_TYPES, VERSIONS } from "../constants.js";
import { PayloadCipher } from "../crypto/payload-cipher.js";
import { type DataChannelError, describeError, HandshakeError } from "../errors.js";
import {
  answerHandshakeRequest,
  type ClientHandshakeOptions,
  type ClientHandshakeOutcome,
} from "../handshake/client-handshake.js";
import {
  encodeEncryptionChallenge,
  encodeHandshakeResponse,
  parseEncryptionChallenge,
  parseHandshakeComplete,
  parseHandshakeRequest,
} from "../handshake/messages.js";
import type { DeliveryVerdict } from "../stream/incoming-stream.js";
import type { DataChannelCore } from "./data-channel-core.js";
import type { PayloadHandlers } from "./payload-dispatcher.js";
import { pickDefined } from "./pick-defined.js";

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

/** What the client channel's options say about the handshake. */
export interface ClientHandshakeSettings
  extends Omit<ClientHandshakeOptions, "clientVersion" | "supportedSessionTypes"> {
  /** Reported in OpenDataChannel and the HandshakeResponse; drives the agent's feature choices (§3.6). */
  clientVersion?: string;
  /** Session types this client runs (default: the shell family and Port). */
  supportedSessionTypes?: readonly string[];
}

/** What the step tells the channel. */
export interface ClientHandshakeEvents {
  becomeReady(info: ClientSessionInfo): void;
  /** The handshake cannot succeed (a KMS key could not be made); the agent will end the session. */
  failReady(error: DataChannelError): void;
}

const HANDSHAKE_PAYLOADS: readonly number[] = [
  PayloadType.HandshakeRequest,
  PayloadType.HandshakeComplete,
  PayloadType.EncChallengeRequest,
];

/** §5.2: the client acknowledges the agent's handshake payloads before it processes them. */
export function ackedBeforeProcessing(message: ClientMessage): boolean {
  return HANDSHAKE_PAYLOADS.includes(message.payloadType);
}

export class ClientHandshakeStep {
  /** The version this client reports, in the handshake and in OpenDataChannel. */
  readonly clientVersion: string;
  readonly #core: DataChannelCore;
  readonly #settings: ClientHandshakeSettings;
  readonly #events: ClientHandshakeEvents;
  #seen = false;
  #negotiated: Omit<ClientSessionInfo, "customerMessage" | "handshake"> | undefined;

  constructor(core: DataChannelCore, settings: ClientHandshakeSettings, events: ClientHandshakeEvents) {
    this.clientVersion = settings.clientVersion ?? VERSIONS.defaultClientVersion;
    this.#core = core;
    this.#settings = settings;
    this.#events = events;
  }

  /** Whether a HandshakeRequest arrived: then Output no longer means "no handshake" (§5.1). */
  get seen(): boolean {
    return this.#seen;
  }

  /** The client's handlers of the three handshake payloads the agent sends. */
  handlers(): PayloadHandlers {
    return {
      [PayloadType.HandshakeRequest]: (message) => this.#answerRequest(message.payload),
      [PayloadType.EncChallengeRequest]: (message) => this.#answerChallenge(message.payload),
      [PayloadType.HandshakeComplete]: (message) => this.#complete(message),
    };
  }

  #answerRequest(payload: Uint8Array): DeliveryVerdict {
    const request = parseHandshakeRequest(payload);
    if (!request.ok) {
      this.#core.diagnose("dropped", request.reason, MessageType.OutputStreamData);
      return "delivered";
    }
    this.#seen = true;
    void answerHandshakeRequest(request.value, {
      clientVersion: this.clientVersion,
      supportedSessionTypes: this.#settings.supportedSessionTypes ?? [
        ...SHELL_SESSION_TYPES,
        SessionType.Port,
      ],
      ...pickDefined(this.#settings, ["sessionId", "targetId", "generateDataKey", "acknowledgeChallenge"]),
    })
      .then((outcome) => this.#sendResponse(outcome))
      .catch((error: unknown) =>
        this.#core.diagnose("warning", `handshake response not sent: ${describeError(error)}`),
      );
    return "delivered";
  }

  #sendResponse(outcome: ClientHandshakeOutcome): Promise<void> | undefined {
    const core = this.#core;
    if (core.ended !== undefined) return undefined;
    this.#negotiated = {
      sessionType: outcome.sessionType ?? SessionType.StandardStream,
      properties: outcome.properties,
      agentVersion: outcome.agentVersion,
      encrypted: outcome.keys !== undefined,
    };
    // §6.5: encryption starts before the response goes out.
    if (outcome.keys !== undefined) core.cipher = new PayloadCipher(outcome.keys);
    if (outcome.failure !== undefined) this.#events.failReady(outcome.failure);
    return core.sendStream(PayloadType.HandshakeResponse, encodeHandshakeResponse(outcome.response));
  }

  #answerChallenge(payload: Uint8Array): DeliveryVerdict {
    const core = this.#core;
    const challenge = parseEncryptionChallenge(payload);
    if (!challenge.ok) {
      core.diagnose("dropped", challenge.reason, MessageType.OutputStreamData);
      return "delivered";
    }
    if (core.cipher === undefined) {
      core.end({
        reason: "failed",
        error: new HandshakeError(
          "The agent sent an encryption challenge but no KMS key was agreed.",
          "The agent and client disagree about encryption; update the agent or report this.",
        ),
      });
      return "delivered";
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
    return "delivered";
  }

  #complete(message: ClientMessage): DeliveryVerdict {
    const complete = parseHandshakeComplete(message.payload);
    if (!complete.ok) this.#core.diagnose("warning", complete.reason, message.messageType);
    const negotiated = this.#negotiated;
    this.#events.becomeReady({
      sessionType: negotiated?.sessionType ?? SessionType.StandardStream,
      properties: negotiated?.properties ?? null,
      agentVersion: negotiated?.agentVersion ?? "",
      encrypted: this.#core.cipher !== undefined,
      handshake: true,
      customerMessage: complete.ok ? complete.value.CustomerMessage : "",
    });
    return "delivered";
  }
}
