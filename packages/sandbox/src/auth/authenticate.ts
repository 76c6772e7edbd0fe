// Authenticates a request: clock skew, the access key, the session token, the signature, and expiry,
// in the order that gives each failure the error AWS gives it.

import { timingSafeEqual } from "node:crypto";
import type { IncomingAwsRequest } from "../server/incoming-request.js";
import type { SandboxState } from "../state/sandbox-state.js";
import type { World } from "../world/model.js";
import { authFailure, type ProtocolKind } from "./auth-errors.js";
import type { Caller } from "./caller.js";
import { lookupAccessKey } from "./credential-lookup.js";
import { formatAmzDate, signatureMatches } from "./signature-check.js";
import type { SignatureClaim } from "./signature-claim.js";

/** AWS refuses signatures more than 15 minutes away from its clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface AuthenticationInput {
  request: IncomingAwsRequest;
  claim: SignatureClaim;
  protocol: ProtocolKind;
  world: World;
  state: SandboxState;
  now: number;
}

/** Refuses a signature too far from the sandbox clock, as AWS words it (also used by the agent-signed SSM calls). */
export function checkClock(claim: SignatureClaim, protocol: ProtocolKind, now: number): void {
  const signedAt = claim.signingDate.getTime();
  if (claim.form === "query") {
    const expiresAt = signedAt + (claim.expiresSeconds ?? 0) * 1000;
    if (now > expiresAt) {
      throw authFailure(
        "skewed-clock",
        protocol,
        `Signature expired: ${formatAmzDate(expiresAt)} is now earlier than ${formatAmzDate(now)}.`,
      );
    }
  } else if (signedAt < now - MAX_CLOCK_SKEW_MS) {
    throw authFailure(
      "skewed-clock",
      protocol,
      `Signature expired: ${claim.amzDate} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (signedAt > now + MAX_CLOCK_SKEW_MS) {
    throw authFailure(
      "skewed-clock",
      protocol,
      `Signature not yet current: ${claim.amzDate} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
  if (claim.scope.date !== claim.amzDate.slice(0, 8)) {
    throw authFailure(
      "bad-signature",
      protocol,
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${claim.scope.date}' != '${claim.amzDate.slice(0, 8)}', from '${claim.amzDate}'.`,
    );
  }
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The authenticated caller, or an AwsServiceError as AWS would answer. */
export async function authenticate(input: AuthenticationInput): Promise<Caller> {
  const { request, claim, protocol, world, state, now } = input;
  checkClock(claim, protocol, now);
  const found = lookupAccessKey(world, state, claim.accessKeyId);
  if (found.kind === "unknown" || found.kind === "inactive") throw authFailure("unknown-key", protocol);
  if (found.kind === "long-term" && claim.securityToken !== undefined)
    throw authFailure("unknown-key", protocol);
  if (found.kind === "session") {
    if (claim.securityToken === undefined || !sameToken(claim.securityToken, found.session.sessionToken)) {
      throw authFailure("unknown-key", protocol);
    }
  }
  if (!(await signatureMatches(request, claim, found.secret))) throw authFailure("bad-signature", protocol);
  if (found.kind === "long-term") return found.caller;
  if (now >= Date.parse(found.session.expiration)) throw authFailure("expired-token", protocol);
  if (!found.caller) throw authFailure("unknown-key", protocol);
  return found.caller;
}
