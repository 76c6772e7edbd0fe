// The request context as AWS fills it for a caller: global condition keys about the principal, the MFA
// state, time, network and region. Service-specific keys (sts:*, aws:RequestTag/*) are added by the action.

import { isTemporary } from "../auth/caller.js";
import type { RequestContextValues, RequestPrincipal } from "../policy/types.js";
import type { ServiceCall } from "../server/runtime.js";

/** ISO-8601 without milliseconds, as AWS writes aws:CurrentTime and aws:TokenIssueTime. */
export function awsTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface ContextOptions {
  /** The request itself carries a valid SerialNumber + TokenCode (GetSessionToken, AssumeRole). */
  mfaInRequest?: boolean;
}

export function baseRequestContext(call: ServiceCall, options: ContextOptions = {}): RequestContextValues {
  const { caller, now } = call;
  const context: RequestContextValues = {
    "aws:CurrentTime": awsTime(now),
    "aws:EpochTime": String(Math.floor(now / 1000)),
    "aws:SourceIp": call.sourceIp,
    "aws:SecureTransport": "false",
    "aws:RequestedRegion": call.region,
    "aws:PrincipalArn": caller.principalArn,
    "aws:PrincipalAccount": caller.account,
    "aws:PrincipalType": caller.type,
    "aws:PrincipalIsAWSService": "false",
    "aws:ViaAWSService": "false",
    "aws:userid": caller.userId,
  };
  // aws:username exists only for IAM users (long-term keys or their GetSessionToken sessions).
  if (caller.type === "User" && caller.userName) context["aws:username"] = caller.userName;
  for (const [key, value] of Object.entries(caller.tags)) context[`aws:PrincipalTag/${key}`] = value;
  if (options.mfaInRequest) {
    context["aws:MultiFactorAuthPresent"] = "true";
    context["aws:MultiFactorAuthAge"] = "0";
  } else if (caller.mfaAuthenticatedAtMs !== undefined) {
    context["aws:MultiFactorAuthPresent"] = "true";
    context["aws:MultiFactorAuthAge"] = String(
      Math.max(0, Math.floor((now - caller.mfaAuthenticatedAtMs) / 1000)),
    );
  } else if (isTemporary(caller)) {
    // Temporary credentials obtained without MFA say so; long-term keys carry no MFA key at all.
    context["aws:MultiFactorAuthPresent"] = "false";
  }
  if (caller.tokenIssuedAtMs !== undefined) context["aws:TokenIssueTime"] = awsTime(caller.tokenIssuedAtMs);
  if (caller.sourceIdentity !== undefined) context["aws:SourceIdentity"] = caller.sourceIdentity;
  return context;
}

/** The ARNs a Principal element may name to match this caller. */
export function requestPrincipal(call: ServiceCall): RequestPrincipal {
  const { caller } = call;
  const matchArns = [caller.arn];
  if (caller.principalArn !== caller.arn) matchArns.push(caller.principalArn);
  matchArns.push(`arn:aws:iam::${caller.account}:root`, caller.account);
  return { arn: caller.arn, account: caller.account, matchArns };
}
