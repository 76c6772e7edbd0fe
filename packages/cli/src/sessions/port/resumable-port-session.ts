// One port session (forwarding or SSH) that survives the network: StartSession, the signed websocket, the
// data channel's port client; when the socket drops, ResumeSession → new token and StreamUrl → new signed
// socket → replaceTransport, on the plugin's retry schedule (ssm-protocol.md §8), with the sequence state of
// the channel untouched. Credentials are renewed first when the service says (or its clock shows) they expired.
import { ResumeSessionCommand, TerminateSessionCommand } from "@aws-sdk/client-ssm";
import {
  type ClientPortSession,
  type DataChannelEnd,
  openClientPortSession,
  type PortSessionReady,
  resumeRetryDelays,
  websocketTransport,
} from "@tobira/session";
import type { TobiraError } from "../../errors.js";
import { kmsDataKeySource } from "../ssm/kms-data-key.js";
import { sessionFailure, TOBIRA_CLIENT_VERSION } from "../ssm/open-session.js";
import { debugDiagnostics } from "../ssm/session-diagnostics.js";
import { SessionFailedError } from "../ssm/session-errors.js";
import { type StartedSession, startSession } from "../ssm/start-session.js";
import { connectStream, type OpenedStream } from "../ssm/stream-connect.js";
import type { PortDocument } from "./port-mappings.js";
import { isExpiredCredentialsError, type SessionAccess } from "./session-access.js";

export interface PortSessionRequest extends PortDocument {
  target: string;
  reason?: string;
}

export interface PortSessionEvents {
  /** A line for the user (reconnects, give-ups). */
  notice: (line: string) => void;
  /** Flag ConnectToPortError: the agent could not reach the destination for a new connection. */
  onConnectError?: () => void;
  /** Test seam: waits before each reconnect attempt (default: the plugin's schedule). */
  retryDelays?: () => number[];
}

export interface PortSessionOutcome {
  end: DataChannelEnd;
  /** Why, when the session did not end normally. */
  failure?: TobiraError;
  /** The session ended because it could not be resumed (ResumeSession without token, or retries used up). */
  resumeFailed?: boolean;
}

export interface ResumablePortSession {
  sessionId: string;
  port: ClientPortSession;
  ready: Promise<PortSessionReady>;
  ended: Promise<PortSessionOutcome>;
  /** How many times the socket was replaced. */
  resumes(): number;
  /** Flag TerminateSession (agent permitting), then the TerminateSession API; resolves when both are done. */
  terminate(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startPortSession(
  access: SessionAccess,
  request: PortSessionRequest,
  events: PortSessionEvents,
): Promise<ResumablePortSession> {
  const profile = (await access.fresh()).profile;
  const started = await startSession(access.current.ssm, request, profile);
  const link = new SessionLink(access, started, events);
  const first = await link.dialFirst();
  const keys = kmsDataKeySource(access.current.kms);
  const diagnose = debugDiagnostics(started.sessionId);
  const port = openClientPortSession({
    transport: websocketTransport(first.socket),
    token: started.token,
    clientVersion: TOBIRA_CLIENT_VERSION,
    sessionId: started.sessionId,
    targetId: request.target,
    generateDataKey: keys.generateDataKey,
    // connectStream pings every socket it opens (§1.6); the channel need not ping as well.
    keepAliveIntervalMs: 0,
    // Every overdue frame is resent each tick, not only the oldest (the plugin's way): under loss the
    // plugin's head-only repair lets one hole hold up the whole stream for a tick per lost frame.
    tuning: { retransmitPolicy: "all-overdue" },
    onTransportLost: () => void link.resume(),
    ...(diagnose === undefined ? {} : { onDiagnostic: diagnose }),
    ...(events.onConnectError === undefined ? {} : { onConnectError: events.onConnectError }),
  });
  link.attach(port);
  access.keepFresh();
  const facts = () => ({ sessionId: started.sessionId, profile, keyId: keys.lastKeyId() });
  const ready = port.ready.catch((error: unknown) => {
    port.channel.close();
    throw sessionFailure({ ...facts(), startError: error }) ?? error;
  });
  ready.catch(() => {});
  const ended = port.ended.then((end) =>
    link.outcome(end, () => sessionFailure({ ...facts(), end, startError: undefined })),
  );
  return {
    sessionId: started.sessionId,
    port,
    ready,
    ended,
    resumes: () => link.resumeCount,
    terminate: () => link.terminate(),
  };
}

/**
 * The socket under one port session and its replacement when it drops: the first dial (retried with the same
 * token, §8.6), ResumeSession and a new dial on the plugin's schedule, and the end (flag, then the API).
 */
class SessionLink {
  resumeCount = 0;
  private closing = false;
  private resuming = false;
  private resumeFailure: TobiraError | undefined;
  private live: OpenedStream | undefined;
  private port: ClientPortSession | undefined;
  private terminating: Promise<void> | undefined;
  private readonly delays: () => number[];

  constructor(
    private readonly access: SessionAccess,
    private readonly started: StartedSession,
    private readonly events: PortSessionEvents,
  ) {
    this.delays = events.retryDelays ?? (() => resumeRetryDelays());
  }

  attach(port: ClientPortSession): void {
    this.port = port;
  }

  /** §8.6: a failed first dial is retried with the same token, on the same schedule; then the session is ended. */
  async dialFirst(): Promise<OpenedStream> {
    let firstError: unknown;
    for (const delay of [0, ...this.delays()]) {
      if (delay > 0) await sleep(delay);
      try {
        this.live = await this.dial(this.started.streamUrl);
        return this.live;
      } catch (error) {
        firstError = error;
      }
    }
    await this.terminateApi();
    throw firstError;
  }

  /** The signed websocket to `url`, signed by the service's clock with the current credentials. */
  private dial(url: string): Promise<OpenedStream> {
    return connectStream({
      streamUrl: url,
      credentials: this.access.credentials,
      region: this.access.current.region,
      now: new Date(this.access.clock.now()),
    });
  }

  /** ResumeSession; when the service's clock says the credentials expired, renew them and ask again. */
  private async resumeCall(): Promise<{ TokenValue?: string | undefined; StreamUrl?: string | undefined }> {
    const call = () =>
      this.access.current.ssm.send(new ResumeSessionCommand({ SessionId: this.started.sessionId }));
    try {
      await this.access.fresh();
      return await call();
    } catch (error) {
      if (!isExpiredCredentialsError(error)) throw error;
      await this.access.refresh();
      return call();
    }
  }

  async resume(): Promise<void> {
    if (this.resuming || this.closing) return;
    this.resuming = true;
    const { sessionId } = this.started;
    this.events.notice(`Connection to the message gateway lost; resuming session ${sessionId}...`);
    let lastError: unknown;
    try {
      for (const delay of this.delays()) {
        await sleep(delay);
        if (this.closing) return;
        try {
          if (await this.resumeOnce()) return;
        } catch (error) {
          lastError = error;
        }
      }
      const why = lastError instanceof Error ? lastError.message : String(lastError);
      this.resumeFailure = new SessionFailedError(`could not resume session ${sessionId}: ${why}`, {
        hint: "check the network to the ssmmessages endpoint, then start the session again",
        cause: lastError,
      });
      this.port?.channel.close();
    } finally {
      this.resuming = false;
    }
  }

  /** One try: true when the session is resumed, or is over (timed out, or closed meanwhile). */
  private async resumeOnce(): Promise<boolean> {
    const { sessionId } = this.started;
    const answer = await this.resumeCall();
    if (!answer.TokenValue) {
      this.resumeFailure = new SessionFailedError(`Session: ${sessionId} timed out.`, {
        hint: "the session ended while the connection was down; start it again",
      });
      this.port?.channel.close();
      return true;
    }
    const next = await this.dial(answer.StreamUrl || this.started.streamUrl);
    if (this.closing) {
      next.socket.close();
      return true;
    }
    this.live = next;
    this.resumeCount++;
    this.port?.channel.replaceTransport(websocketTransport(next.socket), answer.TokenValue);
    this.events.notice(`Session ${sessionId} resumed.`);
    return true;
  }

  /** How the session ended: a failed resume, else what the agent or AWS said (nothing when we closed it). */
  outcome(end: DataChannelEnd, failureOf: () => TobiraError | undefined): PortSessionOutcome {
    this.live?.stopKeepalive();
    if (this.resumeFailure !== undefined) return { end, failure: this.resumeFailure, resumeFailed: true };
    const failure = this.closing ? undefined : failureOf();
    return { end, ...(failure === undefined ? {} : { failure }) };
  }

  /** Flag TerminateSession (agent permitting), then the TerminateSession API; once. */
  terminate(): Promise<void> {
    this.closing = true;
    this.terminating ??= (async () => {
      await this.port?.terminate(1000).catch(() => false);
      await this.terminateApi();
    })();
    return this.terminating;
  }

  private async terminateApi(): Promise<void> {
    const sessionId = this.started.sessionId;
    try {
      await (await this.access.fresh()).ssm.send(new TerminateSessionCommand({ SessionId: sessionId }));
    } catch (error) {
      if (isExpiredCredentialsError(error)) {
        await this.access.refresh().catch(() => {});
        await this.access.current.ssm
          .send(new TerminateSessionCommand({ SessionId: sessionId }))
          .catch(() => {});
      } else if (process.env.TOBIRA_DEBUG)
        process.stderr.write(`tobira: TerminateSession: ${String(error)}\n`);
    }
  }
}
