// One open session at the gateway: relays frames between the client's websocket and the instance's agent,
// applies the per-direction frame rate, keeps MGS-only frames to itself, survives a client reconnect
// (ResumeSession), and at the end sends channel_closed and records the session's final status.

import { randomUUID } from "node:crypto";
import { encodeChannelClosedFrame, encodePublicationFrame, MessageType } from "@tobira/session";
import type { WebSocket } from "ws";
import type { AgentSession, AgentSessionOutcome } from "../agents/agent-session.js";
import type { InstanceAgent } from "../agents/instance-agent.js";
import type { SandboxRuntime } from "../server/runtime.js";
import { type SessionRecord, setSessionStatus } from "../services/ssm/session-store.js";
import { messageTypeOf } from "./frame-peek.js";
import { FrameRateLimit } from "./frame-rate-limit.js";
import type { ResolvedGatewayOptions } from "./gateway-options.js";
import { createMemoryLink, type MemoryLink } from "./memory-link.js";

/** channel_closed for `sessionId`, sent by MGS to the client (§7.6). */
export function channelClosedFrame(sessionId: string, target: string, output: string): Uint8Array {
  return encodeChannelClosedFrame({
    messageId: randomUUID(),
    createdDate: new Date().toISOString(),
    destinationId: target,
    sessionId,
    schemaVersion: 1,
    output,
  });
}

function bytesOf(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return Buffer.concat(data as Uint8Array[]);
  return undefined;
}

/** What the gateway's limits did, across all sessions (for tests and the benchmark). */
export interface GatewayStats {
  /** pause_publication frames sent to agents above the frame rate. */
  agentPauses: number;
  /** pause_publication frames sent to clients nearing the frame rate (the warning before the limit). */
  clientPauses: number;
  /** Client data frames dropped above the rate (clientOverLimit "drop"). */
  clientFramesDropped: number;
  /** Client sockets closed above the rate (clientOverLimit "close"). */
  clientsClosedForRate: number;
}

export interface LiveSessionOptions {
  record: SessionRecord;
  agent: InstanceAgent;
  runtime: SandboxRuntime;
  limits: ResolvedGatewayOptions;
  stats: GatewayStats;
  /** Called once when the session is over (the gateway forgets it). */
  onEnded: (sessionId: string) => void;
}

export class LiveSession {
  readonly sessionId: string;
  readonly target: string;
  readonly ended: Promise<AgentSessionOutcome>;
  readonly #o: LiveSessionOptions;
  readonly #link: MemoryLink;
  readonly #agent: AgentSession;
  readonly #fromClientLimit: FrameRateLimit;
  readonly #fromAgentLimit: FrameRateLimit;
  #client: WebSocket | undefined;
  #agentPaused = false;
  #clientPaused = false;
  #clientResumeTimer: NodeJS.Timeout | undefined;
  #resumeTimer: NodeJS.Timeout | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #over = false;

  constructor(options: LiveSessionOptions) {
    this.#o = options;
    this.sessionId = options.record.sessionId;
    this.target = options.record.target;
    const { framesPerSecond, burstFrames } = options.limits;
    this.#fromClientLimit = new FrameRateLimit(framesPerSecond, burstFrames);
    this.#fromAgentLimit = new FrameRateLimit(framesPerSecond, burstFrames);
    this.#link = createMemoryLink();
    this.#link.gatewayEnd.onMessage((data) => this.#fromAgent(data));
    this.#agent = options.agent.openSession(options.record, this.#link.agentEnd);
    this.ended = this.#agent.ended.then(async (outcome) => {
      await this.#finish(outcome);
      return outcome;
    });
  }

  /** Puts `socket` on the session (the first open, or a reconnect after ResumeSession). */
  attach(socket: WebSocket): void {
    if (this.#over) return;
    const previous = this.#client;
    this.#client = socket;
    if (previous !== undefined && previous !== socket)
      previous.close(1000, "Replaced by a newer connection.");
    if (this.#graceTimer !== undefined) clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
    setSessionStatus(this.#o.runtime, this.sessionId, "Connected");
    socket.on("message", (data, isBinary) => {
      if (this.#client !== socket || !isBinary) return; // later text frames mean nothing to the relay
      const bytes = bytesOf(data);
      if (bytes !== undefined) this.#fromClient(socket, bytes);
    });
    socket.on("close", () => {
      if (this.#client !== socket || this.#over) return;
      this.#client = undefined;
      setSessionStatus(this.#o.runtime, this.sessionId, "Disconnected");
      this.#graceTimer = setTimeout(
        () => this.terminate(`Session ${this.sessionId} was disconnected and not resumed in time.`),
        this.#o.limits.reconnectGraceMs,
      );
    });
  }

  /** Ends the session (TerminateSession, the sandbox stopping); `output` reaches the client in channel_closed. */
  terminate(output = ""): void {
    this.#agent.terminate(output);
  }

  #fromClient(socket: WebSocket, bytes: Uint8Array): void {
    if (this.#over) return;
    if (messageTypeOf(bytes) === MessageType.InputStreamData && !this.#fromClientLimit.take()) {
      if (this.#o.limits.clientOverLimit === "drop") {
        this.#o.stats.clientFramesDropped++;
        return;
      }
      this.#o.stats.clientsClosedForRate++;
      this.#sendToClient(
        channelClosedFrame(
          this.sessionId,
          this.target,
          `The client sent more than ${this.#o.limits.framesPerSecond} data frames per second; the message gateway closed the connection. Resume the session with a client that paces its frames.`,
        ),
      );
      socket.close(1008, "Frame rate exceeded.");
      return;
    }
    if (this.#fromClientLimit.tokens < this.#o.limits.burstFrames / 2) this.#pauseClient();
    this.#link.gatewayEnd.send(bytes);
  }

  /**
   * A client that kept above the rate long enough to spend half its burst is told to pause (§4.5), and told
   * to start again once ¾ of the burst is back; one that goes on regardless is closed (or dropped) above.
   */
  #pauseClient(): void {
    if (this.#clientPaused) return;
    this.#clientPaused = true;
    this.#o.stats.clientPauses++;
    this.#sendToClient(encodePublicationFrame(MessageType.PausePublication));
    const waitMs = this.#fromClientLimit.msUntil((this.#o.limits.burstFrames * 3) / 4);
    this.#clientResumeTimer = setTimeout(() => {
      this.#clientPaused = false;
      this.#clientResumeTimer = undefined;
      if (!this.#over) this.#sendToClient(encodePublicationFrame(MessageType.StartPublication));
    }, waitMs);
  }

  #fromAgent(data: string | Uint8Array): void {
    if (typeof data === "string") return; // an agent's OpenDataChannel: the gateway attached it itself
    const type = messageTypeOf(data);
    // MGS consumes what the agent says about its session; the client never sees it (§3.1).
    if (type === MessageType.AgentSessionState) return;
    if (type === MessageType.OutputStreamData && !this.#fromAgentLimit.take()) this.#pauseAgent();
    this.#sendToClient(data);
  }

  /** Above the rate the agent is told to pause (§4.5) until the bucket has room for a burst again. */
  #pauseAgent(): void {
    if (this.#agentPaused) return;
    this.#agentPaused = true;
    this.#o.stats.agentPauses++;
    this.#link.gatewayEnd.send(encodePublicationFrame(MessageType.PausePublication));
    const waitMs = this.#fromAgentLimit.msUntil(Math.max(1, this.#o.limits.burstFrames / 2));
    this.#resumeTimer = setTimeout(() => {
      this.#agentPaused = false;
      this.#resumeTimer = undefined;
      if (!this.#over) this.#link.gatewayEnd.send(encodePublicationFrame(MessageType.StartPublication));
    }, waitMs);
  }

  #sendToClient(frame: Uint8Array): void {
    const client = this.#client;
    // With no client attached the frame is dropped: the agent retransmits it after a reconnect (§8).
    if (client === undefined || client.readyState !== client.OPEN) return;
    client.send(frame, { binary: true });
  }

  async #finish(outcome: AgentSessionOutcome): Promise<void> {
    // Frames the agent sent just before it ended go out before channel_closed.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#over = true;
    if (this.#graceTimer !== undefined) clearTimeout(this.#graceTimer);
    if (this.#resumeTimer !== undefined) clearTimeout(this.#resumeTimer);
    if (this.#clientResumeTimer !== undefined) clearTimeout(this.#clientResumeTimer);
    this.#link.gatewayEnd.close(1000, "session over");
    this.#sendToClient(channelClosedFrame(this.sessionId, this.target, outcome.output));
    this.#client?.close(1000, "Session ended.");
    this.#client = undefined;
    setSessionStatus(this.#o.runtime, this.sessionId, outcome.status);
    this.#o.onEnded(this.sessionId);
  }
}
