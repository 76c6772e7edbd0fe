// What both roles share: a transport turned into ordered, acknowledged, optionally sealed stream messages,
// plus acks, channel_closed and publication control. The roles (client, agent) sit on top of it: each gives
// the payload dispatcher its own handlers; messages are routed here, by a table of message types.

import { type Clock, systemClock } from "../clock.js";
import { encodeAcknowledgeFrame, parseAcknowledgePayload } from "../codec/acknowledge.js";
import { parseChannelClosedPayload } from "../codec/channel-closed.js";
import { encodeFlagPayload, parseFlagPayload } from "../codec/control-payloads.js";
import { type ClientMessage, type DigestPolicy, decodeFrame } from "../codec/frame.js";
import { MessageType, PACING, PayloadType } from "../constants.js";
import type { ChannelRole } from "../crypto/data-key.js";
import { isSealedPayloadType, type PayloadCipher } from "../crypto/payload-cipher.js";
import { ChannelClosedError, DataChannelError, describeError } from "../errors.js";
import type { AdaptivePacingOptions } from "../stream/adaptive-rate.js";
import { type DeliveryVerdict, type IncomingStats, IncomingStream } from "../stream/incoming-stream.js";
import { type OutgoingStats, OutgoingStream, type RetransmitPolicy } from "../stream/outgoing-stream.js";
import type { DataChannelTransport, TransportCloseInfo, TransportData } from "../transport.js";
import { PayloadDispatcher } from "./payload-dispatcher.js";
import { pickDefined } from "./pick-defined.js";

/** Limits and pacing; every field has a default taken from the spec (see constants.ts). */
export interface DataChannelTuning {
  /** Largest plaintext payload per frame (1024; MGS's own limit is UNVERIFIED, §13). */
  maxPayloadBytes?: number;
  /**
   * A fixed data-frame rate (Infinity disables pacing). Without it the client paces adaptively (900/s up to
   * 990/s, backing off on pause_publication and ack latency) and the agent at 900/s.
   */
  framesPerSecond?: number;
  /** The adaptive pacing's knobs, or false for a fixed rate (the client's default is adaptive). */
  adaptivePacing?: AdaptivePacingOptions | false | undefined;
  burstFrames?: number;
  /** Unacknowledged frames in flight before new ones wait. */
  window?: number;
  /** Frames accepted but unsent before producers wait. */
  maxQueued?: number;
  retransmitPolicy?: RetransmitPolicy;
  /** Acks of later messages that declare an unacked one lost and resend it at once. */
  lossEvidenceAcks?: number;
  maxResends?: number;
  /** Out-of-order frames held by the receiver (count and payload bytes). */
  maxBufferedFrames?: number;
  maxBufferedBytes?: number;
  /** Inbound frames longer than this are dropped before parsing. */
  maxFrameBytes?: number;
}

/** Something the channel noticed and did not act on, for logs and tests. */
export interface DataChannelDiagnostic {
  kind: "dropped" | "warning" | "ignored";
  reason: string;
  messageType?: string;
  sequenceNumber?: number;
}

/** How a data channel ended. */
export interface DataChannelEnd {
  reason: "closed" | "channel-closed" | "transport-closed" | "failed";
  /** channel_closed's Output (an error text when the session failed on the far side). */
  output?: string;
  sessionId?: string;
  error?: DataChannelError;
  code?: number;
}

export interface DataChannelStats {
  outgoing: OutgoingStats;
  incoming: IncomingStats;
}

export interface DataChannelCoreOptions {
  role: ChannelRole;
  transport: DataChannelTransport;
  clock?: Clock;
  tuning?: DataChannelTuning;
  /** Flag payloads (§3.3), which both roles take alike once the channel is working. */
  onFlag?: (flag: number) => void;
  ackBeforeDelivery?: (message: ClientMessage) => boolean;
  digestPolicy: (messageType: string) => DigestPolicy;
  /** Stop sending on pause_publication until start_publication (or any traffic from the peer, §4.5). */
  honourPublicationPause: boolean;
  onDiagnostic?: (diagnostic: DataChannelDiagnostic) => void;
  onEnd: (end: DataChannelEnd) => void;
  /**
   * Makes the channel resumable (§8): when given, a transport that closes does not end the channel; the
   * channel waits (sequence state, unacked frames and keys kept) for `replaceTransport`.
   */
  onTransportLost?: (info: TransportCloseInfo) => void;
}

export class DataChannelCore {
  readonly role: ChannelRole;
  readonly clock: Clock;
  readonly maxPayloadBytes: number;
  readonly outgoing: OutgoingStream;
  readonly incoming: IncomingStream;
  /**
   * Every in-order stream message (payload still sealed if it was encrypted) goes through it; the roles add
   * their payload handlers. Flag is handled here; any other type not in the table is said, acked, dropped.
   */
  readonly payloads: PayloadDispatcher;
  /** Set once KMS encryption is agreed; from then on §6.5's payload types travel sealed. */
  cipher: PayloadCipher | undefined;
  readonly #o: DataChannelCoreOptions;
  readonly #incomingType: string;
  readonly #outgoingType: string;
  readonly #maxFrameBytes: number | undefined;
  /** §3.1: what each inbound message type does; any other type is said and dropped. */
  readonly #byMessageType: ReadonlyMap<string, (message: ClientMessage) => void>;
  #ended: DataChannelEnd | undefined;
  /** The live transport; undefined between a drop and `replaceTransport`. */
  #transport: DataChannelTransport | undefined;
  /** Bumped per transport, so a replaced transport's late messages and close are ignored. */
  #generation = 0;

  constructor(options: DataChannelCoreOptions) {
    this.#o = options;
    this.role = options.role;
    this.clock = options.clock ?? systemClock;
    const tuning = options.tuning ?? {};
    this.maxPayloadBytes = tuning.maxPayloadBytes ?? PACING.maxPayloadBytes;
    this.#maxFrameBytes = tuning.maxFrameBytes;
    this.#outgoingType =
      options.role === "client" ? MessageType.InputStreamData : MessageType.OutputStreamData;
    this.#incomingType =
      options.role === "client" ? MessageType.OutputStreamData : MessageType.InputStreamData;
    this.payloads = new PayloadDispatcher({
      handlers: { [PayloadType.Flag]: (message) => this.#deliverFlag(message) },
      otherwise: (message) => this.#deliverUnhandled(message),
    });
    this.#byMessageType = this.#messageTypeTable();
    this.outgoing = new OutgoingStream({
      clock: this.clock,
      messageType: this.#outgoingType,
      // §2.2: the agent's sequence-0 output carries SYN; the client's input never has flags.
      firstMessageFlags: options.role === "agent" ? 1 : 0,
      transmit: (frame) => this.#send(frame),
      ...pickDefined(tuning, [
        "window",
        "maxQueued",
        "framesPerSecond",
        "burstFrames",
        "retransmitPolicy",
        "lossEvidenceAcks",
        "maxResends",
      ]),
      adaptive: adaptivePacingFor(options.role, tuning),
      onExhausted: (error) => this.end({ reason: "failed", error }),
      onTransmitError: (error) => {
        if (this.#transport !== undefined)
          this.#diagnose("warning", `socket write failed: ${describeError(error)}`);
      },
    });
    this.incoming = new IncomingStream({
      deliver: (message) => this.payloads.deliver(message),
      acknowledge: (message) => this.#acknowledge(message),
      ...(options.ackBeforeDelivery === undefined ? {} : { ackBeforeDelivery: options.ackBeforeDelivery }),
      ...pickDefined(tuning, ["maxBufferedFrames", "maxBufferedBytes"]),
      onDrop: (reason, message) =>
        this.#diagnose("dropped", reason, message.messageType, message.sequenceNumber),
    });
    this.#attach(options.transport);
  }

  /** False between a transport drop and `replaceTransport` (resumable channels only). */
  get connected(): boolean {
    return this.#transport !== undefined;
  }

  /**
   * §8: continues the channel over a new transport. `openText` (the OpenDataChannel frame with the new
   * token) goes first; then every unacknowledged frame is resent in order, then queued ones follow. The
   * old transport, if still open, is closed and ignored from now on.
   */
  replaceTransport(transport: DataChannelTransport, openText?: string): void {
    if (this.#ended !== undefined) throw closedError();
    const old = this.#transport;
    this.#attach(transport);
    if (old !== undefined && old !== transport) {
      try {
        old.close(1000, "replaced");
      } catch {
        // Already gone.
      }
    }
    if (openText !== undefined) transport.send(openText);
    this.outgoing.resendAll();
  }

  /** A WebSocket ping on the live transport, if it has ping (§1.6). False when it could not be sent. */
  ping(): boolean {
    const transport = this.#transport;
    if (transport?.ping === undefined || this.#ended !== undefined) return false;
    try {
      transport.ping();
      return true;
    } catch (error) {
      this.#diagnose("warning", `ping failed: ${describeError(error)}`);
      return false;
    }
  }

  #attach(transport: DataChannelTransport): void {
    const generation = ++this.#generation;
    this.#transport = transport;
    transport.onMessage((data) => {
      if (generation === this.#generation) this.#receive(data);
    });
    transport.onClose((info) => {
      if (generation !== this.#generation || this.#ended !== undefined) return;
      const lost = this.#o.onTransportLost;
      if (lost === undefined) {
        this.end(
          { reason: "transport-closed", ...(info.code === undefined ? {} : { code: info.code }) },
          false,
        );
        return;
      }
      this.#transport = undefined;
      this.#diagnose("warning", `transport closed (code ${info.code ?? "none"}); waiting for a new one`);
      lost(info);
    });
  }

  #send(data: TransportData): void {
    const transport = this.#transport;
    if (transport === undefined) throw new Error("no transport (disconnected)");
    transport.send(data);
  }

  get ended(): DataChannelEnd | undefined {
    return this.#ended;
  }

  stats(): DataChannelStats {
    return { outgoing: this.outgoing.stats(), incoming: this.incoming.stats() };
  }

  /** Sends a text frame straight to the socket (the OpenDataChannel frame). */
  sendText(text: string): void {
    this.#send(text);
  }

  /** Sends an unsequenced control frame (acks, agent_session_state) straight to the socket. */
  sendControlFrame(frame: Uint8Array): void {
    if (this.#ended !== undefined) return;
    if (this.#transport === undefined) return; // an ack lost here is re-sent on the peer's resend
    try {
      this.#transport.send(frame);
    } catch (error) {
      this.#diagnose("warning", `socket write failed: ${describeError(error)}`);
    }
  }

  /** Queues one stream message, sealing it first when KMS is on and its type is sealed (§6.5). */
  sendStream(payloadType: number, payload: Uint8Array, byteStream = false): Promise<void> {
    if (this.#ended !== undefined) return Promise.reject(closedError());
    const seal = this.cipher !== undefined && isSealedPayloadType(this.role, payloadType);
    const sealed = seal ? this.cipher!.encrypt(payload) : payload;
    // A sealed payload is one AES-GCM message: it can never take more bytes.
    return this.outgoing.send(payloadType, sealed, byteStream && !seal);
  }

  /**
   * Queues a byte stream in frames of at most maxPayloadBytes, in order. Unsealed, its bytes first fill the
   * last frame still waiting, so frames leave full (the frame rate, not bytes, is the limit, §9).
   */
  async sendChunked(payloadType: number, bytes: Uint8Array): Promise<void> {
    const sealed = this.cipher !== undefined && isSealedPayloadType(this.role, payloadType);
    let offset = sealed ? 0 : this.outgoing.topUp(payloadType, bytes, this.maxPayloadBytes);
    for (; offset < bytes.length; offset += this.maxPayloadBytes)
      await this.sendStream(payloadType, bytes.subarray(offset, offset + this.maxPayloadBytes), true);
  }

  /** Opens a sealed payload of the peer's, if KMS is on and the type is sealed in that direction. */
  unseal(message: ClientMessage): Uint8Array {
    const sender = this.role === "client" ? "agent" : "client";
    if (this.cipher === undefined || !isSealedPayloadType(sender, message.payloadType))
      return message.payload;
    return this.cipher.decrypt(message.payload);
  }

  /** Ends the channel once: stops the streams, closes the socket (unless it closed itself), reports. */
  end(end: DataChannelEnd, closeTransport = true): void {
    if (this.#ended !== undefined) return;
    this.#ended = end;
    this.outgoing.close();
    const transport = this.#transport;
    this.#generation++;
    if (closeTransport && transport !== undefined) {
      try {
        transport.close(end.reason === "failed" ? 1011 : 1000);
      } catch {
        // The socket is already gone; nothing left to close.
      }
    }
    this.#o.onEnd(end);
  }

  diagnose(kind: DataChannelDiagnostic["kind"], reason: string, messageType?: string): void {
    this.#diagnose(kind, reason, messageType);
  }

  /** A Flag message, as both roles take it: its value to `onFlag`, or a warning when it does not parse. */
  #deliverFlag(message: ClientMessage): DeliveryVerdict {
    const flag = parseFlagPayload(message.payload);
    if (flag.ok) this.#o.onFlag?.(flag.value);
    else this.#diagnose("warning", flag.reason, message.messageType);
    return "delivered";
  }

  /** A payload type this role does not handle: said, acked and dropped. */
  #deliverUnhandled(message: ClientMessage): DeliveryVerdict {
    this.#diagnose(
      "ignored",
      `payload type ${message.payloadType} is not handled by the ${this.role}`,
      message.messageType,
    );
    return "delivered";
  }

  /** Queues a Flag message. */
  sendFlag(flag: number): Promise<void> {
    return this.sendStream(PayloadType.Flag, encodeFlagPayload(flag));
  }

  /** Whether everything queued was acknowledged within `timeoutMs`. */
  drainedWithin(timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = this.clock.setTimeout(() => resolve(false), timeoutMs);
      void this.outgoing.drained().then(() => {
        this.clock.clearTimeout(timer);
        resolve(true);
      });
    });
  }

  #diagnose(
    kind: DataChannelDiagnostic["kind"],
    reason: string,
    messageType?: string,
    sequenceNumber?: number,
  ): void {
    const diagnostic: DataChannelDiagnostic = { kind, reason };
    if (messageType !== undefined) diagnostic.messageType = messageType;
    if (sequenceNumber !== undefined) diagnostic.sequenceNumber = sequenceNumber;
    this.#o.onDiagnostic?.(diagnostic);
  }

  #acknowledge(message: ClientMessage): void {
    this.sendControlFrame(
      encodeAcknowledgeFrame(
        {
          acknowledgedMessageType: message.messageType,
          acknowledgedMessageId: message.messageId,
          acknowledgedSequenceNumber: message.sequenceNumber,
        },
        this.clock.now(),
      ),
    );
  }

  /** Every inbound WebSocket message. Nothing thrown here escapes: errors end the channel as "failed". */
  #receive(data: TransportData): void {
    if (this.#ended !== undefined) return;
    try {
      this.#route(data);
    } catch (error) {
      const failure =
        error instanceof DataChannelError
          ? error
          : new DataChannelError(
              `Internal error while handling a frame: ${describeError(error)}`,
              "Report this as a bug.",
            );
      this.end({ reason: "failed", error: failure });
    }
  }

  #route(data: TransportData): void {
    if (typeof data === "string") {
      // Only the OpenDataChannel frame is text, and it is for the gateway: nothing for a role to act on.
      this.#diagnose("ignored", "text frame");
      return;
    }
    const decoded = decodeFrame(data, {
      digestPolicy: this.#o.digestPolicy,
      ...(this.#maxFrameBytes === undefined ? {} : { maxFrameBytes: this.#maxFrameBytes }),
    });
    if (!decoded.ok) {
      this.#diagnose("dropped", decoded.reason, decoded.messageType);
      return;
    }
    const message = decoded.message;
    for (const warning of decoded.warnings)
      this.#diagnose("warning", warning, message.messageType, message.sequenceNumber);
    const handle = this.#byMessageType.get(message.messageType);
    if (handle !== undefined) handle(message);
    else
      this.#diagnose(
        "ignored",
        `message type ${JSON.stringify(message.messageType)} is not handled`,
        message.messageType,
      );
  }

  #messageTypeTable(): ReadonlyMap<string, (message: ClientMessage) => void> {
    return new Map<string, (message: ClientMessage) => void>([
      [this.#incomingType, (message) => this.#receiveStreamData(message)],
      [MessageType.Acknowledge, (message) => this.#receiveAcknowledge(message)],
      [MessageType.ChannelClosed, (message) => this.#receiveChannelClosed(message)],
      [MessageType.PausePublication, (message) => this.#receivePublication(message)],
      [MessageType.StartPublication, (message) => this.#receivePublication(message)],
    ]);
  }

  #receiveStreamData(message: ClientMessage): void {
    if (this.#o.honourPublicationPause) this.outgoing.resume();
    this.incoming.receive(message);
  }

  #receiveAcknowledge(message: ClientMessage): void {
    const ack = parseAcknowledgePayload(message.payload);
    if (!ack.ok) {
      this.#diagnose("dropped", ack.reason, message.messageType);
      return;
    }
    if (this.#o.honourPublicationPause) this.outgoing.resume();
    this.outgoing.acknowledge(ack.value.acknowledgedSequenceNumber);
  }

  #receiveChannelClosed(message: ClientMessage): void {
    const closed = parseChannelClosedPayload(message.payload);
    const output = closed.ok ? closed.value.output : "";
    const sessionId = closed.ok ? closed.value.sessionId : "";
    this.end({ reason: "channel-closed", output, sessionId });
  }

  /**
   * pause_publication / start_publication (§4.5): the side that honours them stops until start. The other
   * (the client) takes pause as the service's "too many frames" (§4.5, 3rd-party): it backs off its rate and
   * holds its data frames until start_publication or PACING.pauseHoldMs, so a missing start cannot freeze it.
   */
  #receivePublication(message: ClientMessage): void {
    if (!this.#o.honourPublicationPause) {
      if (message.messageType === MessageType.PausePublication) {
        this.outgoing.signalCongestion(PACING.pauseHoldMs);
        const rate = Math.round(this.outgoing.stats().framesPerSecond);
        this.#diagnose("warning", `pause_publication: holding, then ${rate} frames/s`, message.messageType);
      } else this.outgoing.releaseHold();
      return;
    }
    if (message.messageType === MessageType.PausePublication) this.outgoing.pause();
    else this.outgoing.resume();
  }
}

/** The client finds its rate unless told a fixed one; the agent keeps a fixed one unless told otherwise. */
function adaptivePacingFor(role: ChannelRole, tuning: DataChannelTuning): AdaptivePacingOptions | undefined {
  if (tuning.adaptivePacing === false) return undefined;
  if (tuning.adaptivePacing !== undefined) return tuning.adaptivePacing;
  return role === "client" && tuning.framesPerSecond === undefined ? {} : undefined;
}

function closedError(): ChannelClosedError {
  return new ChannelClosedError(
    "The data channel is closed; nothing more can be sent.",
    "Open a new session.",
  );
}
