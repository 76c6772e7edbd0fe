// The sandbox's message gateway (MGS): websocket upgrades on /v1/data-channel/<sessionId> on the sandbox's
// own port, SigV4 verified when signed, the OpenDataChannel token checked against the session, then a
// LiveSession relays to the instance's in-process agent. TerminateSession ends live sessions.

import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { parseOpenDataChannel } from "@tobira/session";
import { type WebSocket, WebSocketServer } from "ws";
import { AgentFleet } from "../agents/agent-fleet.js";
import { type AgentOptions, resolveAgentOptions } from "../agents/agent-options.js";
import type { Caller } from "../auth/caller.js";
import { AwsServiceError, internalFailure } from "../protocol/errors.js";
import { jsonErrorBody, jsonHeaders } from "../protocol/json.js";
import type { SandboxHost } from "../server/runtime.js";
import type { UpgradeRoute } from "../server/service-registry.js";
import { findInstance } from "../services/ec2/instance-resource.js";
import { isOnlineForSsm } from "../services/ec2/instance-state.js";
import { sessionEvents } from "../services/ssm/session-lifecycle.js";
import {
  ACTIVE_STATUSES,
  findSessionByToken,
  type SessionRecord,
  setSessionStatus,
} from "../services/ssm/session-store.js";
import {
  type GatewayOptions,
  type ResolvedGatewayOptions,
  resolveGatewayOptions,
} from "./gateway-options.js";
import { channelClosedFrame, type GatewayStats, LiveSession } from "./live-session.js";
import { authenticateUpgrade, GATEWAY_SIGNING_NAME } from "./upgrade-auth.js";
import { DATA_CHANNEL_PATH_PREFIX, sessionIdOfPath, upgradeRequestOf } from "./upgrade-request.js";

export interface MessageGatewayOptions {
  host: SandboxHost;
  stateDir: string;
  gateway?: GatewayOptions;
  agents?: AgentOptions;
}

/** Why an OpenDataChannel was refused: the text goes to the client in channel_closed. */
class OpenRefused extends Error {
  override readonly name = "OpenRefused";
}

const HTTP_REASONS: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  500: "Internal Server Error",
};

export class MessageGateway {
  readonly #host: SandboxHost;
  readonly #limits: ResolvedGatewayOptions;
  readonly #minuteMs: number;
  readonly #fleet: AgentFleet;
  readonly #wss: WebSocketServer;
  readonly #sessions = new Map<string, LiveSession>();
  readonly #sockets = new Set<WebSocket>();
  readonly #stats: GatewayStats = {
    agentPauses: 0,
    clientPauses: 0,
    clientFramesDropped: 0,
    clientsClosedForRate: 0,
  };
  readonly #onTerminated = (sessionId: string) => this.#sessions.get(sessionId)?.terminate("");
  #closed = false;

  constructor(options: MessageGatewayOptions) {
    this.#host = options.host;
    this.#limits = resolveGatewayOptions(options.gateway);
    this.#minuteMs = resolveAgentOptions(options.agents).preferenceMinuteMs;
    this.#fleet = new AgentFleet(options.host, options.stateDir, options.agents);
    // Pings are answered by `ws` itself (auto-pong), as MGS answers the plugin's "keepalive" pings (§1.6).
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: this.#limits.maxFrameBytes });
    sessionEvents(options.host.runtime).on("terminated", this.#onTerminated);
  }

  upgradeRoute(): UpgradeRoute {
    return {
      pathPrefix: DATA_CHANNEL_PATH_PREFIX,
      handleUpgrade: (request, socket, head) => this.#handleUpgrade(request, socket, head),
    };
  }

  /** What the frame limits did so far. */
  stats(): GatewayStats {
    return { ...this.#stats };
  }

  /** Sessions the gateway is relaying now. */
  liveSessionIds(): string[] {
    return [...this.#sessions.keys()];
  }

  /** Ends every live session (their clients get channel_closed) and closes all sockets. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    sessionEvents(this.#host.runtime).off("terminated", this.#onTerminated);
    const endings = [...this.#sessions.values()].map((live) => {
      live.terminate("The sandbox is shutting down.");
      return live.ended;
    });
    await Promise.race([Promise.all(endings), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    for (const socket of this.#sockets) socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const requestId = randomUUID();
    const sessionId = sessionIdOfPath((request.url ?? "/").split("?")[0] ?? "/");
    if (this.#closed || sessionId === undefined) {
      this.#reject(
        socket,
        new AwsServiceError("NotFoundException", "No such data channel path.", 404),
        requestId,
      );
      return;
    }
    let awsRequest: ReturnType<typeof upgradeRequestOf>;
    try {
      awsRequest = upgradeRequestOf(request);
    } catch (error) {
      this.#reject(socket, error instanceof AwsServiceError ? error : internalFailure(), requestId);
      return;
    }
    authenticateUpgrade(awsRequest, this.#host.runtime).then(
      (caller) => {
        this.#audit(requestId, awsRequest.sourceIp, caller, {
          decision: "Allow",
          status: 101,
          reason: `${caller === undefined ? "unsigned upgrade: the session token is the credential" : "SigV4 verified"}; session ${sessionId}`,
        });
        this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accepted(ws, sessionId, caller));
      },
      (error: unknown) => {
        const failure = error instanceof AwsServiceError ? error : internalFailure();
        this.#audit(requestId, awsRequest.sourceIp, undefined, {
          decision: failure.code,
          status: failure.status,
          reason: failure.message,
          errorCode: failure.code,
        });
        this.#reject(socket, failure, requestId);
      },
    );
  }

  /** A refused upgrade gets an HTTP answer in the JSON protocol's shape, then the connection closes. */
  #reject(socket: Duplex, error: AwsServiceError, requestId: string): void {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = Buffer.from(jsonErrorBody(error));
    const headers = {
      ...jsonHeaders(requestId, error),
      "content-length": String(body.length),
      connection: "close",
    };
    const head = [
      `HTTP/1.1 ${error.status} ${HTTP_REASONS[error.status] ?? "Error"}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      "",
      "",
    ].join("\r\n");
    socket.end(Buffer.concat([Buffer.from(head), body]));
  }

  #audit(
    requestId: string,
    sourceIp: string,
    caller: Caller | undefined,
    facts: { decision: string; status: number; reason: string; errorCode?: string },
  ): void {
    const { runtime, audit } = this.#host;
    try {
      audit.append({
        time: new Date(runtime.clock()).toISOString(),
        requestId,
        service: GATEWAY_SIGNING_NAME,
        action: "OpenDataChannel",
        principalArn: caller?.arn,
        accessKeyId: caller?.accessKeyId,
        ...facts,
        sourceIp,
      });
    } catch (error) {
      process.stderr.write(`sandbox: cannot append to ${audit.path}: ${(error as Error).message}\n`);
    }
  }

  #accepted(ws: WebSocket, sessionId: string, caller: Caller | undefined): void {
    const timer = setTimeout(() => ws.close(1008, "No OpenDataChannel frame."), this.#limits.openTimeoutMs);
    timer.unref();
    this.#sockets.add(ws);
    ws.on("close", () => {
      clearTimeout(timer);
      this.#sockets.delete(ws);
    });
    ws.on("error", () => ws.terminate());
    ws.once("message", (data, isBinary) => {
      clearTimeout(timer);
      try {
        if (isBinary) throw new OpenRefused("The first frame must be the OpenDataChannel text frame.");
        const text = Buffer.isBuffer(data)
          ? data.toString("utf8")
          : Buffer.from(data as ArrayBuffer).toString("utf8");
        const record = this.#sessionForOpen(sessionId, text, caller);
        this.#liveSessionFor(record).attach(ws);
      } catch (error) {
        if (!(error instanceof OpenRefused)) throw error;
        ws.send(channelClosedFrame(sessionId, "", error.message), { binary: true });
        ws.close(1008, "OpenDataChannel refused.");
      }
    });
  }

  /** The session the open frame's token opens, or OpenRefused with what MGS tells the client. */
  #sessionForOpen(sessionId: string, text: string, caller: Caller | undefined): SessionRecord {
    const { runtime } = this.#host;
    const open = parseOpenDataChannel(text);
    if (!open.ok) throw new OpenRefused(`Invalid OpenDataChannel request: ${open.reason}.`);
    const record = findSessionByToken(runtime, open.value.TokenValue);
    if (record === undefined || record.sessionId !== sessionId) {
      throw new OpenRefused(
        `The token is not valid for session ${sessionId}. Start a new session (StartSession) or get a fresh token with ResumeSession.`,
      );
    }
    if (caller !== undefined && caller.account !== record.account) {
      throw new OpenRefused(`The signer of this request may not open session ${sessionId}.`);
    }
    if (!ACTIVE_STATUSES.includes(record.status)) {
      throw new OpenRefused(`Session ${sessionId} is already terminated.`);
    }
    if (record.status === "Connecting" && !this.#sessions.has(sessionId) && this.#expired(record)) {
      setSessionStatus(runtime, sessionId, "Terminated");
      throw new OpenRefused(`Session ${sessionId} timed out before its data channel was opened.`);
    }
    return record;
  }

  /** A session never opened within its idle timeout is over, as Session Manager ends idle sessions. */
  #expired(record: SessionRecord): boolean {
    const minutes = Number(record.preferences.idleSessionTimeout) || 20;
    return this.#host.runtime.clock() - Date.parse(record.startDate) > minutes * this.#minuteMs;
  }

  #liveSessionFor(record: SessionRecord): LiveSession {
    const existing = this.#sessions.get(record.sessionId);
    if (existing !== undefined) return existing;
    const { runtime } = this.#host;
    const agent = this.#fleet.agentFor(record.account, record.region, record.target);
    const instance = findInstance(runtime.world, record.account, record.region, record.target);
    if (agent === undefined || instance === undefined || !isOnlineForSsm(runtime, instance)) {
      setSessionStatus(runtime, record.sessionId, "Failed");
      throw new OpenRefused(`${record.target} is not connected.`);
    }
    const live = new LiveSession({
      record,
      agent,
      runtime,
      limits: this.#limits,
      stats: this.#stats,
      onEnded: (id) => this.#sessions.delete(id),
    });
    this.#sessions.set(record.sessionId, live);
    return live;
  }
}
