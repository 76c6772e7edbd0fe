// Opens a Session Manager session as the official client does, minus the plugin: StartSession with the
// profile's credentials, the signed websocket to StreamUrl, the data channel's client role with KMS data keys
// from the same credentials; and ends it with TerminateSession.
import {
  type ClientDataChannel,
  type ClientSessionInfo,
  type DataChannelDiagnostic,
  type DataChannelEnd,
  openClientDataChannel,
  VERSIONS,
  websocketTransport,
} from "@tobira/session";
import type { TobiraError } from "../../errors.js";
import { kmsDataKeySource } from "./kms-data-key.js";
import type { ProfileAccess } from "./profile-access.js";
import { debugDiagnostics } from "./session-diagnostics.js";
import { SessionFailedError } from "./session-errors.js";
import { type StartSessionRequest, startSession, terminateSession } from "./start-session.js";
import { connectStream, type OpenedStream } from "./stream-connect.js";

/**
 * The ClientVersion tobira reports: AWS's documented minimum plugin version (the release that signs the
 * upgrade, §1.4). It is ≥ 1.1.70, so agents speak smux for LocalPortForwarding, and > 1.2.331.0, so they
 * separate stdout from stderr and drop smux keepalives (§3.6).
 */
export const TOBIRA_CLIENT_VERSION = VERSIONS.defaultClientVersion;

/** What StartSession is asked for: the target id, and the document, its parameters and a reason. */
export type SessionRequest = StartSessionRequest;

export interface SessionHandlers {
  onOutput?: (bytes: Uint8Array) => void;
  onStderr?: (bytes: Uint8Array) => void;
  onExit?: (code: number) => void;
  onDiagnostic?: (diagnostic: DataChannelDiagnostic) => void;
}

export interface SessionOutcome {
  end: DataChannelEnd;
  /** The remote exit status when the agent reported one (EXIT_CODE). */
  exitCode?: number;
  /** Set when the session ended with an error (gateway, agent, handshake, KMS), in its words plus a hint. */
  failure?: TobiraError;
}

export interface OpenedSession {
  sessionId: string;
  target: string;
  channel: ClientDataChannel;
  /** The session type and the customer message; rejects with a TobiraError in AWS's or the agent's words. */
  ready: Promise<ClientSessionInfo>;
  /** When the channel has ended, how. */
  ended: Promise<SessionOutcome>;
  /** TerminateSession (errors ignored: the session is over either way) and closes the channel. */
  terminate(): Promise<void>;
}

/** How long a failed start waits for the agent's own words (channel_closed Output) before speaking itself. */
const AGENT_WORDS_WAIT_MS = 5000;

export async function openSession(
  access: ProfileAccess,
  request: SessionRequest,
  handlers: SessionHandlers = {},
): Promise<OpenedSession> {
  const { sessionId, streamUrl, token } = await startSession(access.ssm, request, access.profile);
  let terminated = false;
  const terminate = async (): Promise<void> => {
    if (terminated) return;
    terminated = true;
    await terminateSession(access.ssm, sessionId);
  };
  let stream: OpenedStream;
  try {
    stream = await connectStream({ streamUrl, credentials: access.credentials, region: access.region });
  } catch (error) {
    await terminate();
    throw error;
  }
  const keys = kmsDataKeySource(access.kms);
  let exitCode: number | undefined;
  const diagnose = handlers.onDiagnostic ?? debugDiagnostics(sessionId);
  const channel = openClientDataChannel({
    transport: websocketTransport(stream.socket),
    token,
    clientVersion: TOBIRA_CLIENT_VERSION,
    sessionId,
    targetId: request.target,
    generateDataKey: keys.generateDataKey,
    ...(handlers.onOutput === undefined ? {} : { onOutput: handlers.onOutput }),
    ...(handlers.onStderr === undefined ? {} : { onStderr: handlers.onStderr }),
    onExit: (code) => {
      exitCode = code;
      handlers.onExit?.(code);
    },
    ...(diagnose === undefined ? {} : { onDiagnostic: diagnose }),
  });
  const explain = (end: DataChannelEnd | undefined, startError: unknown): TobiraError | undefined =>
    sessionFailure({
      sessionId,
      profile: access.profile,
      keyId: keys.lastKeyId(),
      ...(end === undefined ? {} : { end }),
      startError,
    });
  return {
    sessionId,
    target: request.target,
    channel,
    ready: readyOrExplained(channel, explain),
    ended: channel.ended.then((end) => outcomeOf(end, exitCode, explain, stream)),
    async terminate() {
      await terminate();
      channel.close();
    },
  };
}

/** The session's info, or a failure in the agent's words: it usually says why in channel_closed, so wait a little. */
function readyOrExplained(
  channel: ClientDataChannel,
  explain: (end: DataChannelEnd | undefined, startError: unknown) => TobiraError | undefined,
): Promise<ClientSessionInfo> {
  const ready = channel.ready.catch(async (error: unknown) => {
    const end = await Promise.race([
      channel.ended,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), AGENT_WORDS_WAIT_MS).unref()),
    ]);
    channel.close();
    throw explain(end, error) ?? error;
  });
  ready.catch(() => {}); // callers await it; an unobserved rejection must not crash the process meanwhile
  return ready;
}

function outcomeOf(
  end: DataChannelEnd,
  exitCode: number | undefined,
  explain: (end: DataChannelEnd | undefined, startError: unknown) => TobiraError | undefined,
  stream: OpenedStream,
): SessionOutcome {
  stream.stopKeepalive();
  // A socket that drops after the agent reported the exit status lost nothing.
  const failure =
    exitCode !== undefined && end.reason === "transport-closed" ? undefined : explain(end, undefined);
  return {
    end,
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(failure === undefined ? {} : { failure }),
  };
}

interface FailureFacts {
  sessionId: string;
  profile: string;
  keyId: string | undefined;
  end?: DataChannelEnd;
  startError: unknown;
}

/** The failure in the agent's or AWS's words, with the hint for the articles' known failures. */
export function sessionFailure(facts: FailureFacts): TobiraError | undefined {
  const { end, startError } = facts;
  const output = end?.output?.trim() ?? "";
  const startText = startError instanceof Error ? startError.message : startError ? String(startError) : "";
  if (output === "" && end?.reason !== "failed" && end?.reason !== "transport-closed" && startText === "")
    return undefined;
  const words =
    output !== ""
      ? `SessionId: ${facts.sessionId} : ${output}`
      : end?.error
        ? end.error.message
        : startText !== ""
          ? startText
          : `the data channel of session ${facts.sessionId} closed unexpectedly`;
  return new SessionFailedError(words, {
    hint: failureHint(`${output} ${startText}`, facts),
    cause: startError ?? end?.error,
  });
}

function failureHint(text: string, facts: FailureFacts): string {
  const key = facts.keyId ?? "the session key (the kmsKeyId of the Session Manager preferences)";
  if (/GenerateDataKey/.test(text))
    return `the role of profile '${facts.profile}' needs kms:GenerateDataKey on ${key}: allow it in the role's IAM policy, and make sure the key policy allows it too (the session preferences ask for KMS encryption)`;
  if (/decrypting data key|Fetching data key failed/.test(text))
    return `the target's instance role needs kms:Decrypt on ${key} (in its IAM policy and in the key policy); your own credentials were fine — ask whoever manages the instance profile`;
  if (/AssumeRoleTokenProvider/.test(text))
    return "this is session-manager-plugin's MFA failure; tobira calls KMS with the credentials it already holds";
  if (/timed out|idle/i.test(text))
    return "the session ended after the idle timeout or maximum duration of the preferences; start a new one";
  return "start the session again; `TOBIRA_DEBUG=1` shows more";
}
