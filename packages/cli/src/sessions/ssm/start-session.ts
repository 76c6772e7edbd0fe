// The two Session Manager API calls every session makes: StartSession (its id, stream URL and token, or AWS's
// words for why not) and TerminateSession (errors ignored: the session is over either way).
import { type SSMClient, StartSessionCommand, TerminateSessionCommand } from "@aws-sdk/client-ssm";
import { awsCallError } from "./aws-error-text.js";
import { SessionFailedError } from "./session-errors.js";

export interface StartSessionRequest {
  /** The resolved target id (i-… or mi-…). */
  target: string;
  documentName?: string;
  parameters?: Record<string, string[]>;
  reason?: string;
}

export interface StartedSession {
  sessionId: string;
  streamUrl: string;
  token: string;
}

export async function startSession(
  ssm: SSMClient,
  request: StartSessionRequest,
  profile: string,
): Promise<StartedSession> {
  let started: {
    SessionId?: string | undefined;
    StreamUrl?: string | undefined;
    TokenValue?: string | undefined;
  };
  try {
    started = await ssm.send(
      new StartSessionCommand({
        Target: request.target,
        ...(request.documentName === undefined ? {} : { DocumentName: request.documentName }),
        ...(request.parameters === undefined ? {} : { Parameters: request.parameters }),
        ...(request.reason === undefined ? {} : { Reason: request.reason }),
      }),
    );
  } catch (error) {
    throw awsCallError(error, "StartSession", { profile, target: request.target });
  }
  const { SessionId: sessionId, StreamUrl: streamUrl, TokenValue: token } = started;
  if (!sessionId || !streamUrl || !token) {
    throw new SessionFailedError("StartSession answered without SessionId, StreamUrl or TokenValue", {
      hint: "the SSM endpoint did not answer as Session Manager does; check the endpoint_url of the profile",
    });
  }
  return { sessionId, streamUrl, token };
}

/** TerminateSession; a failure is only shown with TOBIRA_DEBUG. */
export async function terminateSession(ssm: SSMClient, sessionId: string): Promise<void> {
  try {
    await ssm.send(new TerminateSessionCommand({ SessionId: sessionId }));
  } catch (error) {
    if (process.env.TOBIRA_DEBUG) process.stderr.write(`tobira: TerminateSession: ${String(error)}\n`);
  }
}
