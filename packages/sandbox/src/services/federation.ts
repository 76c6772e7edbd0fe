// The console federation endpoint (`/federation`), as signin.aws.amazon.com serves it: getSigninToken trades
// temporary credentials for a sign-in token, login redeems the token once and shows who signed in.
//
// The rules it checks, from AWS's "custom identity broker" documentation and what tools ran into:
// - only temporary credentials from AssumeRole or GetFederationToken sign in; long-term keys and
//   GetSessionToken credentials are refused;
// - SessionDuration is 900–43200 seconds, allowed for assumed-role sessions only: AWS fails the call for
//   GetFederationToken credentials (their own DurationSeconds sets the console session) and for sessions
//   from role chaining;
// - a sign-in token is good for one login within 15 minutes.

import { timingSafeEqual } from "node:crypto";
import type { AuditFacts } from "../audit/audit-log.js";
import { lookupAccessKey } from "../auth/credential-lookup.js";
import { AwsServiceError } from "../protocol/errors.js";
import { parseFormEncoded } from "../protocol/query.js";
import type { HttpAnswer } from "../server/http-answer.js";
import { headerValue, type IncomingAwsRequest } from "../server/incoming-request.js";
import type { SandboxRuntime } from "../server/runtime.js";
import type { HttpRoute } from "../server/service-registry.js";
import { refusedPage, signedInPage } from "./federation-page.js";
import { type ConsoleSession, SigninTokenStore } from "./federation-signin-tokens.js";

export const FEDERATION_PATH = "/federation";
export const SESSION_DURATION_MIN = 900;
export const SESSION_DURATION_MAX = 43200;
/** The console session of a role session without SessionDuration, and the most a chained role gets. */
export const DEFAULT_CONSOLE_SECONDS = 3600;

/** A refusal of the federation endpoint: HTTP status, a short code for the audit log, and a message. */
class FederationRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The request's parameters: the query string's, then a form body's on top (AWS takes both GET and POST). */
function paramsOf(request: IncomingAwsRequest): Map<string, string> {
  const out = new Map<string, string>();
  const add = (values: Map<string, string[]>) => {
    for (const [name, list] of values) {
      const last = list[list.length - 1];
      if (last !== undefined) out.set(name, last);
    }
  };
  add(request.query);
  const contentType = headerValue(request, "content-type") ?? "";
  if (request.method === "POST" && (contentType === "" || contentType.includes("x-www-form-urlencoded"))) {
    try {
      add(parseFormEncoded(request.body.toString("utf8")));
    } catch (error) {
      if (error instanceof AwsServiceError)
        throw new FederationRefusal(400, "MalformedBody", "The form body is not valid.");
      throw error;
    }
  }
  return out;
}

interface SessionParameter {
  sessionId: string;
  sessionKey: string;
  sessionToken: string;
}

function readSession(text: string | undefined): SessionParameter {
  if (text === undefined || text === "") {
    throw new FederationRefusal(
      400,
      "MissingSession",
      'The Session parameter is missing: give JSON {"sessionId","sessionKey","sessionToken"}.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FederationRefusal(400, "InvalidSession", "The Session parameter is not JSON.");
  }
  const session = parsed as Partial<Record<keyof SessionParameter, unknown>> | null;
  if (
    session === null ||
    typeof session !== "object" ||
    typeof session.sessionId !== "string" ||
    typeof session.sessionKey !== "string"
  ) {
    throw new FederationRefusal(
      400,
      "InvalidSession",
      "The Session parameter needs string fields sessionId, sessionKey and sessionToken.",
    );
  }
  if (typeof session.sessionToken !== "string" || session.sessionToken === "") {
    throw new FederationRefusal(
      403,
      "InvalidCredentials",
      "The Session parameter has no sessionToken: the federation endpoint takes only temporary credentials (from AssumeRole or GetFederationToken), never an IAM user's long-term keys.",
    );
  }
  return { sessionId: session.sessionId, sessionKey: session.sessionKey, sessionToken: session.sessionToken };
}

function readSessionDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= SESSION_DURATION_MIN && seconds <= SESSION_DURATION_MAX)) {
    throw new FederationRefusal(
      400,
      "InvalidSessionDuration",
      `SessionDuration must be a whole number of seconds from ${SESSION_DURATION_MIN} to ${SESSION_DURATION_MAX}.`,
    );
  }
  return seconds;
}

function getSigninToken(
  params: Map<string, string>,
  runtime: SandboxRuntime,
  tokens: SigninTokenStore,
  now: number,
  audit: AuditFacts,
): { SigninToken: string } {
  const given = readSession(params.get("Session"));
  const duration = readSessionDuration(params.get("SessionDuration"));
  audit.accessKeyId = given.sessionId;
  const found = lookupAccessKey(runtime.world, runtime.state, given.sessionId);
  if (found.kind === "long-term") {
    throw new FederationRefusal(
      403,
      "InvalidCredentials",
      "These are an IAM user's long-term keys: the federation endpoint takes only temporary credentials (from AssumeRole or GetFederationToken).",
    );
  }
  if (
    found.kind !== "session" ||
    !sameText(given.sessionKey, found.secret) ||
    !sameText(given.sessionToken, found.session.sessionToken) ||
    !found.caller
  ) {
    throw new FederationRefusal(
      403,
      "InvalidCredentials",
      "The credentials in the Session parameter are not valid.",
    );
  }
  const { session, caller } = found;
  audit.principalArn = caller.arn;
  audit.mfa = caller.mfaAuthenticatedAtMs !== undefined;
  if (now >= Date.parse(session.expiration)) {
    throw new FederationRefusal(
      403,
      "ExpiredToken",
      "The credentials in the Session parameter have expired.",
    );
  }
  if (session.kind === "session-token") {
    throw new FederationRefusal(
      403,
      "InvalidCredentials",
      "GetSessionToken credentials cannot sign in to the console: use credentials from AssumeRole or GetFederationToken.",
    );
  }
  if (duration !== undefined && session.kind === "federation-token") {
    throw new FederationRefusal(
      400,
      "InvalidSessionDuration",
      "SessionDuration is not allowed with GetFederationToken credentials: their DurationSeconds sets the console session.",
    );
  }
  if (duration !== undefined && session.roleChain) {
    throw new FederationRefusal(
      400,
      "InvalidSessionDuration",
      "SessionDuration is not allowed for a role session obtained by role chaining.",
    );
  }
  const consoleSessionEnds =
    session.kind === "federation-token"
      ? Date.parse(session.expiration)
      : now + (duration ?? DEFAULT_CONSOLE_SECONDS) * 1000;
  const consoleSession: ConsoleSession = {
    principalArn: caller.arn,
    account: caller.account,
    accessKeyId: session.accessKeyId,
    mfa: caller.mfaAuthenticatedAtMs !== undefined,
    consoleSessionEnds,
  };
  return { SigninToken: tokens.issue(consoleSession, now) };
}

/** Only the AWS console may be the destination, as AWS's endpoint only sends browsers there. */
function readDestination(text: string | undefined): string {
  let url: URL | undefined;
  try {
    url = text === undefined ? undefined : new URL(text);
  } catch {
    url = undefined;
  }
  const host = url?.hostname ?? "";
  const isConsole = host === "console.aws.amazon.com" || host.endsWith(".console.aws.amazon.com");
  if (url?.protocol !== "https:" || !isConsole) {
    throw new FederationRefusal(
      400,
      "InvalidDestination",
      "Destination must be an https URL of the AWS console (https://console.aws.amazon.com/…).",
    );
  }
  return url.toString();
}

const REDEEM_REFUSALS = {
  unknown: "This sign-in token was not issued by this endpoint.",
  used: "This sign-in token was already used: each token signs in once.",
  expired: "This sign-in token has expired: tokens last 15 minutes.",
} as const;

function login(
  params: Map<string, string>,
  tokens: SigninTokenStore,
  now: number,
  audit: AuditFacts,
): string {
  const destination = readDestination(params.get("Destination"));
  const token = params.get("SigninToken");
  if (token === undefined || token === "") {
    throw new FederationRefusal(400, "MissingSigninToken", "The SigninToken parameter is missing.");
  }
  const redeemed = tokens.redeem(token, now);
  if (!redeemed.ok) {
    const codes = { unknown: "InvalidSigninToken", used: "UsedSigninToken", expired: "ExpiredSigninToken" };
    throw new FederationRefusal(400, codes[redeemed.reason], REDEEM_REFUSALS[redeemed.reason]);
  }
  const { session } = redeemed;
  audit.principalArn = session.principalArn;
  audit.accessKeyId = session.accessKeyId;
  audit.mfa = session.mfa;
  const issuer = params.get("Issuer");
  return signedInPage({ session, destination, ...(issuer ? { issuer } : {}) });
}

function answer(
  requestId: string,
  status: number,
  contentType: string,
  body: string,
  audit: AuditFacts,
  errorCode?: string,
): HttpAnswer {
  return {
    status,
    headers: {
      "content-type": contentType,
      "cache-control": "no-store",
      "x-amzn-requestid": requestId,
    },
    body,
    audit,
    ...(errorCode === undefined ? {} : { errorCode }),
  };
}

/** The route the sandbox registers; each sandbox gets its own token store. */
export function federationRoute(): HttpRoute {
  const tokens = new SigninTokenStore();
  return {
    path: FEDERATION_PATH,
    async handle(request, requestId, runtime) {
      const audit: AuditFacts = { service: "signin" };
      const now = runtime.clock();
      let action: string | undefined;
      try {
        if (request.method !== "GET" && request.method !== "POST") {
          throw new FederationRefusal(405, "MethodNotAllowed", "The federation endpoint takes GET and POST.");
        }
        const params = paramsOf(request);
        action = params.get("Action");
        audit.action = action;
        if (action === "getSigninToken") {
          const result = getSigninToken(params, runtime, tokens, now, audit);
          return answer(requestId, 200, "application/json", JSON.stringify(result), {
            ...audit,
            decision: "Allow",
          });
        }
        if (action === "login") {
          const html = login(params, tokens, now, audit);
          return answer(requestId, 200, "text/html; charset=utf-8", html, { ...audit, decision: "Allow" });
        }
        throw new FederationRefusal(400, "InvalidAction", "Action must be getSigninToken or login.");
      } catch (error) {
        if (!(error instanceof FederationRefusal)) throw error;
        const failed: AuditFacts = { ...audit, decision: error.code, reason: error.message };
        if (action === "login") {
          return answer(
            requestId,
            error.status,
            "text/html; charset=utf-8",
            refusedPage(error.message),
            failed,
            error.code,
          );
        }
        const body = JSON.stringify({ Error: { Code: error.code, Message: error.message } });
        return answer(requestId, error.status, "application/json", body, failed, error.code);
      }
    },
  };
}
