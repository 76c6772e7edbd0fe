// A generic Session Manager client for the fidelity tests: what any client (the official plugin among them) is
// handed by the sandbox's gateway and agent, frame by frame. It uses the SSM and KMS SDK clients for the AWS
// calls, a `ws` websocket for the stream, and spec-wire.ts for every byte of the data channel: it acks every
// stream message (§4.2), answers the handshake (§5.4, §5.5), decrypts what the agent encrypts (§6) and
// resends its own input until it is acknowledged (§4.3). It keeps everything it received for the tests to
// compare byte for byte.

import { GenerateDataKeyCommand, type KMSClient } from "@aws-sdk/client-kms";
import { type SSMClient, StartSessionCommand, type StartSessionCommandInput } from "@aws-sdk/client-ssm";
import type WebSocket from "ws";
import { connect, signedUpgradeHeaders } from "../gateway/session-client.js";
import type { Credentials } from "../server/sandbox-fixture.js";
import {
  acknowledgeFrame,
  decodeWireFrame,
  encodeWireFrame,
  openDataChannelText,
  openPayload,
  PT,
  sealPayload,
  type WireFrame,
} from "./spec-wire.js";

/** The official plugin verified against the spec (§0.1); ≥ 1.1.70 puts a port session in mux mode. */
export const OFFICIAL_CLIENT_VERSION = "1.2.677.0";

/** One agent stream message as the client's user would get it: in sequence order, decrypted. */
export interface Delivered {
  sequenceNumber: number;
  flags: bigint;
  payloadType: number;
  payload: Buffer;
}

export interface Closing {
  /** The channel_closed JSON, if one came before the socket closed. */
  channelClosed: Record<string, unknown> | undefined;
  code: number;
}

export interface GenericClientOptions {
  ssm: SSMClient;
  kms?: KMSClient;
  credentials: Credentials;
  start: StartSessionCommandInput;
  clientVersion?: string;
}

interface Unacked {
  frame: Buffer;
  sentAt: number;
}

/** Payload types the agent encrypts once KMS is on (§6.5). */
const SEALED_FROM_AGENT = new Set<number>([PT.Output, PT.StdErr, PT.ExitCode]);

export class GenericClient {
  /** Every binary frame received, in arrival order. */
  readonly frames: WireFrame[] = [];
  /** Agent stream messages, each sequence number once, in order. */
  readonly delivered: Delivered[] = [];
  readonly closed: Promise<Closing>;
  #nextIn = 0;
  #nextOut = 0;
  readonly #pending = new Map<number, WireFrame>();
  readonly #unacked = new Map<number, Unacked>();
  #keys: { decrypt: Buffer; encrypt: Buffer } | undefined;
  #work: Promise<void> = Promise.resolve();
  #channelClosed: Record<string, unknown> | undefined;
  readonly #waiters = new Set<() => void>();
  readonly #resend: NodeJS.Timeout;

  private constructor(
    readonly sessionId: string,
    readonly target: string,
    private readonly socket: WebSocket,
    private readonly options: GenericClientOptions,
  ) {
    socket.on("message", (data: Buffer, isBinary) => {
      if (isBinary) this.#receive(decodeWireFrame(Buffer.from(data)));
    });
    this.closed = new Promise((resolve) => {
      socket.once("close", (code) => {
        clearInterval(this.#resend);
        void this.#work.then(() => {
          resolve({ channelClosed: this.#channelClosed, code });
          this.#notify();
        });
      });
    });
    this.#resend = setInterval(() => this.#resendOverdue(), 100);
  }

  static async open(options: GenericClientOptions): Promise<GenericClient> {
    const started = await options.ssm.send(new StartSessionCommand(options.start));
    const url = started.StreamUrl!;
    const socket = await connect(url, await signedUpgradeHeaders(url, options.credentials));
    const client = new GenericClient(started.SessionId!, options.start.Target!, socket, options);
    socket.send(openDataChannelText(started.TokenValue!, options.clientVersion ?? OFFICIAL_CLIENT_VERSION));
    return client;
  }

  /** input_stream_data with the next sequence number; PT 1 is sealed once KMS is on (§6.5). */
  send(payloadType: number, payload: Buffer): void {
    const sealed =
      payloadType === PT.Output && this.#keys ? sealPayload(this.#keys.encrypt, payload) : payload;
    const sequenceNumber = this.#nextOut++;
    const frame = encodeWireFrame({
      messageType: "input_stream_data",
      sequenceNumber,
      flags: 0,
      payloadType,
      payload: sealed,
    });
    this.#unacked.set(sequenceNumber, { frame, sentAt: Date.now() });
    this.socket.send(frame);
  }

  /** The PT 1 bytes delivered so far, joined. */
  output(): Buffer {
    return Buffer.concat(this.delivered.filter((d) => d.payloadType === PT.Output).map((d) => d.payload));
  }

  /** Resolves once `check` holds (rejects if the socket closes first). */
  async until(what: string, check: () => boolean): Promise<void> {
    let over = false;
    void this.closed.then(() => {
      over = true;
    });
    while (!check()) {
      if (over)
        throw new Error(`session closed before ${what}; output ${JSON.stringify(this.output().toString())}`);
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }

  close(): void {
    clearInterval(this.#resend);
    this.socket.close();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) {
      this.#waiters.delete(waiter);
      waiter();
    }
  }

  #receive(frame: WireFrame): void {
    this.frames.push(frame);
    if (frame.messageType === "acknowledge") {
      const acked = JSON.parse(frame.payload.toString()) as { AcknowledgedMessageSequenceNumber: number };
      this.#unacked.delete(acked.AcknowledgedMessageSequenceNumber);
    } else if (frame.messageType === "channel_closed") {
      this.#channelClosed = JSON.parse(frame.payload.toString()) as Record<string, unknown>;
    } else if (frame.messageType === "output_stream_data") {
      this.socket.send(acknowledgeFrame(frame));
      const seq = Number(frame.sequenceNumber);
      if (seq >= this.#nextIn) this.#pending.set(seq, frame);
      while (this.#pending.has(this.#nextIn)) {
        const next = this.#pending.get(this.#nextIn)!;
        this.#pending.delete(this.#nextIn++);
        this.#work = this.#work.then(() => this.#deliver(next));
      }
    }
    this.#notify();
  }

  async #deliver(frame: WireFrame): Promise<void> {
    const sealed = this.#keys !== undefined && SEALED_FROM_AGENT.has(frame.payloadType);
    const payload = sealed ? openPayload(this.#keys!.decrypt, frame.payload) : frame.payload;
    if (frame.payloadType === PT.HandshakeRequest) await this.#answerHandshake(payload);
    if (frame.payloadType === PT.EncChallengeRequest) this.#answerChallenge(payload);
    this.delivered.push({
      sequenceNumber: Number(frame.sequenceNumber),
      flags: frame.flags,
      payloadType: frame.payloadType,
      payload,
    });
    this.#notify();
  }

  /** §5.4: every requested action processed; for KMS a 64-byte data key in the session's context (§6.1). */
  async #answerHandshake(payload: Buffer): Promise<void> {
    const request = JSON.parse(payload.toString()) as {
      RequestedClientActions: { ActionType: string; ActionParameters: { KMSKeyId?: string } }[];
    };
    const processed = [];
    for (const action of request.RequestedClientActions) {
      let result: unknown = null;
      if (action.ActionType === "KMSEncryption") {
        const key = await this.options.kms!.send(
          new GenerateDataKeyCommand({
            KeyId: action.ActionParameters.KMSKeyId,
            NumberOfBytes: 64,
            EncryptionContext: { "aws:ssm:SessionId": this.sessionId, "aws:ssm:TargetId": this.target },
          }),
        );
        const plaintext = Buffer.from(key.Plaintext!);
        this.#keys = { decrypt: plaintext.subarray(0, 32), encrypt: plaintext.subarray(32, 64) };
        result = {
          KMSCipherTextKey: Buffer.from(key.CiphertextBlob!).toString("base64"),
          KMSCipherTextHash: null,
        };
      }
      processed.push({ ActionType: action.ActionType, ActionStatus: 1, ActionResult: result, Error: "" });
    }
    const clientVersion = this.options.clientVersion ?? OFFICIAL_CLIENT_VERSION;
    const response = { ClientVersion: clientVersion, ProcessedClientActions: processed, Errors: null };
    this.send(PT.HandshakeResponse, Buffer.from(JSON.stringify(response)));
  }

  /** §5.5: decrypt the agent's challenge with the client's decryption key, seal it again with its encryption key. */
  #answerChallenge(payload: Buffer): void {
    const { Challenge } = JSON.parse(payload.toString()) as { Challenge: string };
    const plain = openPayload(this.#keys!.decrypt, Buffer.from(Challenge, "base64"));
    const answer = sealPayload(this.#keys!.encrypt, plain).toString("base64");
    this.send(PT.EncChallengeResponse, Buffer.from(JSON.stringify({ Challenge: answer })));
  }

  /** Input the agent left unacknowledged ("not ready", §4.4) goes again, as the plugin resends it. */
  #resendOverdue(): void {
    const now = Date.now();
    for (const entry of this.#unacked.values()) {
      if (now - entry.sentAt < 200) continue;
      entry.sentAt = now;
      this.socket.send(entry.frame);
    }
  }
}
