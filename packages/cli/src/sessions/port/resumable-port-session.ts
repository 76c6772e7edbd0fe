// One port session (forwarding or SSH) that survives the network: StartSession, the signed websocket, the
// data channel's port client; when the socket drops, ResumeSession → new token and StreamUrl → new signed
// socket → replaceTransport, on the plugin's retry schedule (ssm-protocol.md §8), with the sequence state of
// the channel untouched. Credentials are renewed first when the service says (or its clock shows) they expired.
import { ResumeSessionCommand, StartSessionCommand, TerminateSessionCommand } from "@aws-sdk/client-ssm";
import {
  type ClientPortSession,
  type DataChannelEnd,
  openClientPortSession,
  type PortSessionReady,
  resumeRetryDelays,
  websocketTransport,
} from "@tobira/session";
import type { TobiraError } from "../../errors.js";
import { awsCallError } from "../ssm/aws-error-text.js";
import { kmsDataKeySource } from "../ssm/kms-data-key.js";
import { sessionFailure, TOBIRA_CLIENT_VERSION } from "../ssm/open-session.js";
import { SessionFailedError } from "../ssm/session-errors.js";
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
  const context = { profile, target: request.target };
  let started: { SessionId?: string; StreamUrl?: string; TokenValue?: string };
  try {
    started = await access.current.ssm.send(
      new StartSessionCommand({
        Target: request.target,
        DocumentName: request.documentName,
        Parameters: request.parameters,
        ...(request.reason === undefined ? {} : { Reason: request.reason }),
      }),
    );
  } catch (error) {
    throw awsCallError(error, "StartSession", context);
  }
  const { SessionId: sessionId, StreamUrl: streamUrl, TokenValue: token } = started;
  if (!sessionId || !streamUrl || !token) {
    throw new SessionFailedError("StartSession answered without SessionId, StreamUrl or TokenValue", {
      hint: "the SSM endpoint did not answer as Session Manager does; check the endpoint_url of the profile",
    });
  }
  const delays = events.retryDelays ?? (() => resumeRetryDelays());
  let closing = false;
  let resumeFailure: TobiraError | undefined;
  let resumeCount = 0;
  let live: OpenedStream | undefined;

  const terminateApi = async (): Promise<void> => {
    try {
      await (await access.fresh()).ssm.send(new TerminateSessionCommand({ SessionId: sessionId }));
    } catch (error) {
      if (isExpiredCredentialsError(error)) {
        await access.refresh().catch(() => {});
        await access.current.ssm.send(new TerminateSessionCommand({ SessionId: sessionId })).catch(() => {});
      } else if (process.env.TOBIRA_DEBUG)
        process.stderr.write(`tobira: TerminateSession: ${String(error)}\n`);
    }
  };

  /** The signed websocket to `url`, signed by the service's clock with the current credentials. */
  const dial = async (url: string): Promise<OpenedStream> =>
    connectStream({
      streamUrl: url,
      credentials: access.credentials,
      region: access.current.region,
      now: new Date(access.clock.now()),
    });

  // §8.6: a failed first dial is retried with the same token, on the same schedule.
  let first: OpenedStream | undefined;
  let firstError: unknown;
  for (const delay of [0, ...delays()]) {
    if (delay > 0) await sleep(delay);
    try {
      first = await dial(streamUrl);
      break;
    } catch (error) {
      firstError = error;
    }
  }
  if (first === undefined) {
    await terminateApi();
    throw firstError;
  }
  live = first;

  const resumeCall = async (): Promise<{ TokenValue?: string; StreamUrl?: string }> => {
    const call = () => access.current.ssm.send(new ResumeSessionCommand({ SessionId: sessionId }));
    try {
      await access.fresh();
      return await call();
    } catch (error) {
      // The service's clock (now known from its answer) says the credentials expired: renew, ask again.
      if (!isExpiredCredentialsError(error)) throw error;
      await access.refresh();
      return call();
    }
  };

  let resuming = false;
  const resume = async (): Promise<void> => {
    if (resuming || closing) return;
    resuming = true;
    events.notice(`Connection to the message gateway lost; resuming session ${sessionId}...`);
    let lastError: unknown;
    try {
      for (const delay of delays()) {
        await sleep(delay);
        if (closing) return;
        try {
          const answer = await resumeCall();
          if (!answer.TokenValue) {
            resumeFailure = new SessionFailedError(`Session: ${sessionId} timed out.`, {
              hint: "the session ended while the connection was down; start it again",
            });
            port.channel.close();
            return;
          }
          const next = await dial(answer.StreamUrl || streamUrl);
          if (closing) {
            next.socket.close();
            return;
          }
          live = next;
          resumeCount++;
          port.channel.replaceTransport(websocketTransport(next.socket), answer.TokenValue);
          events.notice(`Session ${sessionId} resumed.`);
          return;
        } catch (error) {
          lastError = error;
        }
      }
      const why = lastError instanceof Error ? lastError.message : String(lastError);
      resumeFailure = new SessionFailedError(`could not resume session ${sessionId}: ${why}`, {
        hint: "check the network to the ssmmessages endpoint, then start the session again",
        cause: lastError,
      });
      port.channel.close();
    } finally {
      resuming = false;
    }
  };

  const keys = kmsDataKeySource(access.current.kms);
  const port = openClientPortSession({
    transport: websocketTransport(first.socket),
    token,
    clientVersion: TOBIRA_CLIENT_VERSION,
    sessionId,
    targetId: request.target,
    generateDataKey: keys.generateDataKey,
    // connectStream pings every socket it opens (§1.6); the channel need not ping as well.
    keepAliveIntervalMs: 0,
    // Every overdue frame is resent each tick, not only the oldest (the plugin's way): under loss the
    // plugin's head-only repair lets one hole hold up the whole stream for a tick per lost frame.
    tuning: { retransmitPolicy: "all-overdue" },
    onTransportLost: () => void resume(),
    ...(events.onConnectError === undefined ? {} : { onConnectError: events.onConnectError }),
  });
  access.keepFresh();

  const ready = port.ready.catch((error: unknown) => {
    port.channel.close();
    throw sessionFailure({ sessionId, profile, keyId: keys.lastKeyId(), startError: error }) ?? error;
  });
  ready.catch(() => {});

  const ended = port.ended.then((end): PortSessionOutcome => {
    live?.stopKeepalive();
    if (resumeFailure !== undefined) return { end, failure: resumeFailure, resumeFailed: true };
    const failure = closing
      ? undefined
      : sessionFailure({ sessionId, profile, keyId: keys.lastKeyId(), end, startError: undefined });
    return { end, ...(failure === undefined ? {} : { failure }) };
  });

  let terminating: Promise<void> | undefined;
  return {
    sessionId,
    port,
    ready,
    ended,
    resumes: () => resumeCount,
    terminate() {
      closing = true;
      terminating ??= (async () => {
        await port.terminate(1000).catch(() => false);
        await terminateApi();
      })();
      return terminating;
    },
  };
}
