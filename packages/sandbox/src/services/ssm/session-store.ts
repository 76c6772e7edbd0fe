// Session Manager sessions as the sandbox keeps them in state.json: who started each one, on which target,
// with which document, parameters and preferences, its status, and the hashes of the tokens that open its
// data channel (the tokens themselves are never stored). The message gateway and agents look sessions up here.

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Caller } from "../../auth/caller.js";
import type { SandboxRuntime } from "../../server/runtime.js";
import { ServiceRecord } from "../../state/service-record.js";
import type { SessionPreferences } from "../../world/model.js";
import type { DocumentInUse } from "./session-documents.js";

export type SessionStatus =
  | "Connecting"
  | "Connected"
  | "Disconnected"
  | "Terminating"
  | "Terminated"
  | "Failed";

/** Statuses DescribeSessions lists under State=Active; the rest are History. */
export const ACTIVE_STATUSES: readonly SessionStatus[] = ["Connecting", "Connected", "Disconnected"];

/** The principal that started a session: what Run As and the own-sessions policy look at. */
export interface SessionPrincipal {
  type: Caller["type"];
  /** The caller's ARN (DescribeSessions' Owner). */
  arn: string;
  /** aws:userid; Session Manager tags the session `aws:ssmmessages:session-id` with it. */
  userId: string;
  userName?: string | undefined;
  roleArn?: string | undefined;
  sessionName?: string | undefined;
  /** aws:PrincipalTag/*: role tags overridden by session tags, or the user's tags (SSMSessionRunAs). */
  tags: Record<string, string>;
}

/** A session as state.json keeps it: the document it uses (name, type, parameters, properties) and the rest. */
export interface SessionRecord extends DocumentInUse {
  sessionId: string;
  account: string;
  region: string;
  /** The target exactly as StartSession got it (the KMS encryption context uses it). */
  target: string;
  reason?: string | undefined;
  principal: SessionPrincipal;
  /** The preferences in force when the session started (KMS key, Run As, timeouts, shell profile). */
  preferences: SessionPreferences;
  status: SessionStatus;
  startDate: string;
  endDate?: string | undefined;
  /** SHA-256 (hex) of each TokenValue issued for the session (StartSession, then each ResumeSession). */
  tokenHashes: string[];
}

const SESSIONS = new ServiceRecord<SessionRecord[]>("ssm", "sessions", Array.isArray, () => []);
/** Ended sessions stay listed under History this long, as Session Manager keeps them for 30 days. */
const HISTORY_RETENTION_MS = 30 * 24 * 3600 * 1000;
const MAX_SESSIONS = 1000;

function save(runtime: SandboxRuntime, sessions: SessionRecord[]): void {
  const now = runtime.clock();
  const kept = sessions
    .filter((s) => s.endDate === undefined || Date.parse(s.endDate) + HISTORY_RETENTION_MS > now)
    .slice(-MAX_SESSIONS);
  SESSIONS.write(runtime.state, kept);
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `<user name or role session name>-<26 random [a-z0-9]>`, as Session Manager forms session ids. */
export function newSessionId(caller: Caller): string {
  const name = caller.userName ?? caller.sessionName ?? caller.federatedName ?? caller.account;
  const random = [...randomBytes(26)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("");
  return `${name}-${random}`;
}

/** A fresh TokenValue: opaque, random, long enough that guessing is hopeless. */
export function newToken(): string {
  return randomBytes(96).toString("base64");
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function principalOf(caller: Caller): SessionPrincipal {
  return {
    type: caller.type,
    arn: caller.arn,
    userId: caller.userId,
    userName: caller.userName,
    roleArn: caller.roleArn,
    sessionName: caller.sessionName,
    tags: { ...caller.tags },
  };
}

export function addSession(runtime: SandboxRuntime, session: SessionRecord): void {
  save(runtime, [...SESSIONS.read(runtime.state), session]);
}

export function findSession(runtime: SandboxRuntime, sessionId: string): SessionRecord | undefined {
  return SESSIONS.read(runtime.state).find((s) => s.sessionId === sessionId);
}

/** The session a data-channel token opens, if the token is one the sandbox issued (compared as hashes). */
export function findSessionByToken(runtime: SandboxRuntime, token: string): SessionRecord | undefined {
  const wanted = Buffer.from(tokenHash(token), "hex");
  return SESSIONS.read(runtime.state).find((s) =>
    s.tokenHashes.some((h) => {
      const candidate = Buffer.from(h, "hex");
      return candidate.length === wanted.length && timingSafeEqual(candidate, wanted);
    }),
  );
}

export function sessionsIn(runtime: SandboxRuntime, account: string, region: string): SessionRecord[] {
  return SESSIONS.read(runtime.state).filter((s) => s.account === account && s.region === region);
}

/** Applies a change to one session and saves; returns the updated record (undefined if unknown). */
export function updateSession(
  runtime: SandboxRuntime,
  sessionId: string,
  change: (session: SessionRecord) => SessionRecord,
): SessionRecord | undefined {
  const sessions = SESSIONS.read(runtime.state);
  const index = sessions.findIndex((s) => s.sessionId === sessionId);
  const current = sessions[index];
  if (index < 0 || current === undefined) return undefined;
  const updated = change(current);
  save(
    runtime,
    sessions.map((s, i) => (i === index ? updated : s)),
  );
  return updated;
}

/**
 * Sets a session's status (the gateway: Connected when both ends are on, Disconnected when the client drops,
 * Terminated at the end). Ending statuses stamp the end date once.
 */
export function setSessionStatus(
  runtime: SandboxRuntime,
  sessionId: string,
  status: SessionStatus,
): SessionRecord | undefined {
  const ended = !ACTIVE_STATUSES.includes(status);
  return updateSession(runtime, sessionId, (s) => ({
    ...s,
    status,
    endDate: ended ? (s.endDate ?? new Date(runtime.clock()).toISOString()) : undefined,
  }));
}

/** Run As for a session: the OS user the agent must switch to, or why the session must fail. */
export type RunAsDecision =
  | { kind: "agent-default" }
  | { kind: "user"; user: string; source: "SSMSessionRunAs tag" | "runAsDefaultUser" }
  | { kind: "refused"; reason: string };

/**
 * Session Manager's Run As rule: when enabled, the principal's SSMSessionRunAs tag, else runAsDefaultUser;
 * never root, and no fallback to ssm-user. When disabled, the agent's own default (ssm-user).
 */
export function runAsFor(session: SessionRecord): RunAsDecision {
  if (!session.preferences.runAsEnabled) return { kind: "agent-default" };
  const tagged = session.principal.tags.SSMSessionRunAs;
  const user = tagged ?? session.preferences.runAsDefaultUser;
  const source = tagged !== undefined ? "SSMSessionRunAs tag" : "runAsDefaultUser";
  if (user === "") {
    return {
      kind: "refused",
      reason: "Run As is enabled, but neither an SSMSessionRunAs tag nor runAsDefaultUser names an OS user.",
    };
  }
  if (user === "root") return { kind: "refused", reason: "Run As never allows the root user." };
  return { kind: "user", user, source };
}
