// StartSession, ResumeSession and TerminateSession: who may open a session to which target with which
// document, the session id and token the data channel needs, and ending sessions one owns.

import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { AwsServiceError } from "../../protocol/errors.js";
import type { SandboxRuntime, ServiceCall } from "../../server/runtime.js";
import { findInstance, instanceArn, resourceTagContext } from "../ec2/instance-resource.js";
import { isOnlineForSsm } from "../ec2/instance-state.js";
import { JsonInput } from "./json-input.js";
import {
  DEFAULT_SESSION_DOCUMENT,
  defaultPreferences,
  documentArn,
  documentInUse,
  documentNameOf,
  findSessionDocument,
  resolveParameters,
  savedPreferences,
} from "./session-documents.js";
import {
  ACTIVE_STATUSES,
  addSession,
  findSession,
  newSessionId,
  newToken,
  principalOf,
  type SessionRecord,
  setSessionStatus,
  tokenHash,
  updateSession,
} from "./session-store.js";
import { authorizeSsm, DOCUMENT_ACCESS_CHECK_KEY, grantOptsIntoDocumentCheck } from "./ssm-authorize.js";

const DOCUMENT_NAME_RULE = {
  pattern: /^([a-zA-Z0-9_\-.:/]{3,128}|arn:aws:ssm:[a-z0-9-]*:\d{0,12}:document\/[a-zA-Z0-9_\-.]{3,128})$/,
  patternText: "^[a-zA-Z0-9_\\-.:/]{3,128}$",
};
const SESSION_ID_RULE = { required: true, min: 1, max: 96 };

/** Per running sandbox: "terminated" (sessionId) when TerminateSession ends a session, for the gateway. */
const eventsByRuntime = new WeakMap<SandboxRuntime, EventEmitter>();

export function sessionEvents(runtime: SandboxRuntime): EventEmitter {
  let events = eventsByRuntime.get(runtime);
  if (!events) {
    events = new EventEmitter();
    eventsByRuntime.set(runtime, events);
  }
  return events;
}

/** `ws://127.0.0.1:PORT/v1/data-channel/<id>?role=publish_subscribe&cell-number=…` on the sandbox's own port. */
export function streamUrlFor(runtime: SandboxRuntime, session: SessionRecord): string {
  const base = (runtime.endpoint ?? "http://127.0.0.1").replace(/^http/, "ws");
  const cell = createHash("sha256")
    .update(`${session.account}/${session.region}`)
    .digest("base64url")
    .slice(0, 22);
  return `${base}/v1/data-channel/${encodeURIComponent(session.sessionId)}?role=publish_subscribe&cell-number=${cell}`;
}

function invalidParameters(problems: string[]): AwsServiceError {
  return new AwsServiceError("InvalidParameters", problems.join(" "), 400);
}

export function startSession(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const target = input.string("Target", { required: true, min: 1, max: 400 })!;
  const requestedDocument = input.string("DocumentName", DOCUMENT_NAME_RULE);
  const reason = input.string("Reason", { min: 1, max: 256 });
  const given = input.stringListMap("Parameters") ?? {};
  input.done();

  const { runtime, caller, region } = call;
  const account = caller.account;
  const documentName = documentNameOf(requestedDocument ?? DEFAULT_SESSION_DOCUMENT);
  const instance = findInstance(runtime.world, account, region, target);

  // The target first, with its tags; then the document when the request named one or the grant asks for it.
  const instanceGrant = authorizeSsm(call, {
    action: "ssm:StartSession",
    resource: instanceArn(region, account, target),
    context: {
      ...resourceTagContext(instance?.tags ?? {}, ["ssm:resourceTag"]),
      [DOCUMENT_ACCESS_CHECK_KEY]: "true",
    },
  });
  const instanceReason = call.audit.reason;
  if (requestedDocument !== undefined || grantOptsIntoDocumentCheck(call, instanceGrant)) {
    authorizeSsm(call, {
      action: "ssm:StartSession",
      resource: documentArn(documentName, region, account),
      context: { [DOCUMENT_ACCESS_CHECK_KEY]: "true" },
    });
    call.audit.reason = `${instanceReason}; ${call.audit.reason}`;
  }

  const document = findSessionDocument(runtime.world, documentName, account, region, { defaultsCount: true });
  if (!document) {
    throw new AwsServiceError("InvalidDocument", `Document with name ${documentName} does not exist.`, 400);
  }
  const { values, problems } = resolveParameters(document, given);
  if (problems.length > 0) throw invalidParameters(problems);
  if (!instance || !isOnlineForSsm(runtime, instance)) {
    throw new AwsServiceError("TargetNotConnected", `${target} is not connected.`, 400);
  }

  const token = newToken();
  const session: SessionRecord = {
    sessionId: newSessionId(caller),
    account,
    region,
    target,
    ...documentInUse(document, values),
    reason,
    principal: principalOf(caller),
    preferences:
      savedPreferences(runtime.world, instance.account, instance.region) ??
      defaultPreferences(instance.account, instance.region),
    status: "Connecting",
    startDate: new Date(call.now).toISOString(),
    tokenHashes: [tokenHash(token)],
  };
  addSession(runtime, session);
  call.audit.reason = `${call.audit.reason}; session ${session.sessionId}`;
  return { SessionId: session.sessionId, TokenValue: token, StreamUrl: streamUrlFor(runtime, session) };
}

/** Resume and Terminate act on `session/<id>`, tagged with the owner's user id and the target. */
function authorizeOnSession(call: ServiceCall, action: string, sessionId: string): SessionRecord | undefined {
  const found = findSession(call.runtime, sessionId);
  const session =
    found && found.account === call.caller.account && found.region === call.region ? found : undefined;
  const tags: Record<string, string> = session
    ? { "aws:ssmmessages:session-id": session.principal.userId, "aws:ssmmessages:target-id": session.target }
    : {};
  authorizeSsm(call, {
    action,
    resource: `arn:aws:ssm:${call.region}:${call.caller.account}:session/${sessionId}`,
    context: resourceTagContext(tags, ["ssm:resourceTag"]),
  });
  return session;
}

export function resumeSession(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const sessionId = input.string("SessionId", SESSION_ID_RULE)!;
  input.done();
  const session = authorizeOnSession(call, "ssm:ResumeSession", sessionId);
  if (!session) {
    throw new AwsServiceError("DoesNotExistException", `Session with id ${sessionId} does not exist.`, 400);
  }
  // An ended session cannot be resumed: no token comes back, which clients read as "the session is gone".
  if (!ACTIVE_STATUSES.includes(session.status)) return { SessionId: sessionId };
  const token = newToken();
  const updated = updateSession(call.runtime, sessionId, (s) => ({
    ...s,
    tokenHashes: [...s.tokenHashes, tokenHash(token)],
  }));
  return {
    SessionId: sessionId,
    TokenValue: token,
    StreamUrl: streamUrlFor(call.runtime, updated ?? session),
  };
}

export function terminateSession(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const sessionId = input.string("SessionId", SESSION_ID_RULE)!;
  input.done();
  const session = authorizeOnSession(call, "ssm:TerminateSession", sessionId);
  // Ending an unknown or already ended session is not an error: the session is over either way.
  if (session && ACTIVE_STATUSES.includes(session.status)) {
    setSessionStatus(call.runtime, sessionId, "Terminated");
    sessionEvents(call.runtime).emit("terminated", sessionId);
  }
  return { SessionId: sessionId };
}
