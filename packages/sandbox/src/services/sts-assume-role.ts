// STS AssumeRole: validates the request, checks MFA, asks the caller's identity policies and the role's trust
// policy, enforces the duration limits (the role's maximum, one hour for role chains) and issues the session.

import { AwsServiceError, validationError } from "../protocol/errors.js";
import type { QueryParams } from "../protocol/query.js";
import type { XmlObject } from "../protocol/xml.js";
import type { ServiceCall } from "../server/runtime.js";
import type { IamRole } from "../world/model.js";
import { authorize, refuse } from "./authorize.js";
import { checkMfaCode } from "./mfa-check.js";
import { ParamValidator, STS_NAME_PATTERN } from "./param-validation.js";
import { baseRequestContext } from "./request-context.js";
import { credentialsXml, issueSession } from "./session-issuer.js";
import {
  readSessionPolicy,
  readSessionTags,
  readTransitiveTagKeys,
  requestTagContext,
} from "./session-parameters.js";
import { SERIAL_NUMBER_RULE, TOKEN_CODE_RULE } from "./sts-session-token.js";
import { findRoleByArn } from "./world-lookup.js";

export const ROLE_SESSION_DEFAULT_SECONDS = 3600;
export const ROLE_CHAIN_MAX_SECONDS = 3600;
export const ROLE_CHAIN_LIMIT_MESSAGE =
  "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.";
export const ROLE_MAX_DURATION_MESSAGE =
  "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.";

interface AssumeRoleRequest {
  roleArn: string;
  sessionName: string;
  duration?: number | undefined;
  externalId?: string | undefined;
  serial?: string | undefined;
  code?: string | undefined;
  sourceIdentity?: string | undefined;
  tags: Record<string, string>;
  transitiveTagKeys: string[];
  policy?: ReturnType<typeof readSessionPolicy>;
}

function readRequest(params: QueryParams): AssumeRoleRequest {
  const v = new ParamValidator(params);
  const roleArn = v.string("RoleArn", { required: true, min: 20, max: 2048 });
  const sessionName = v.string("RoleSessionName", { required: true, min: 2, max: 64, ...STS_NAME_PATTERN });
  const duration = v.integer("DurationSeconds", { min: 900, max: 43200 });
  const externalId = v.string("ExternalId", {
    min: 2,
    max: 1224,
    pattern: /^[\w+=,.@:/-]*$/,
    patternText: "[\\w+=,.@:\\/-]*",
  });
  const serial = v.string("SerialNumber", SERIAL_NUMBER_RULE);
  const code = v.string("TokenCode", TOKEN_CODE_RULE);
  const sourceIdentity = v.string("SourceIdentity", { min: 2, max: 64, ...STS_NAME_PATTERN });
  const policy = readSessionPolicy(v);
  const tags = readSessionTags(params, v);
  const transitiveTagKeys = readTransitiveTagKeys(params, tags, v);
  v.done();
  return {
    roleArn: roleArn!,
    sessionName: sessionName!,
    duration,
    externalId,
    serial,
    code,
    sourceIdentity,
    tags,
    transitiveTagKeys,
    policy,
  };
}

/** Transitive tags of the calling role session carry into the new one and cannot be set again. */
function inheritedTransitiveTags(call: ServiceCall, request: AssumeRoleRequest): Record<string, string> {
  const { caller } = call;
  const inherited: Record<string, string> = {};
  if (caller.type !== "AssumedRole") return inherited;
  for (const key of caller.transitiveTagKeys) {
    const value = caller.tags[key];
    if (value === undefined) continue;
    if (Object.keys(request.tags).some((k) => k.toLowerCase() === key.toLowerCase())) {
      throw validationError([
        `Tag key '${key}' is a transitive session tag of the calling session and cannot be set again.`,
      ]);
    }
    inherited[key] = value;
  }
  return inherited;
}

function stsContext(
  call: ServiceCall,
  request: AssumeRoleRequest,
  mfaInRequest: boolean,
  sessionTags: Record<string, string>,
) {
  const context = { ...baseRequestContext(call, { mfaInRequest }), ...requestTagContext(sessionTags) };
  context["sts:RoleSessionName"] = request.sessionName;
  if (request.externalId !== undefined) context["sts:ExternalId"] = request.externalId;
  if (request.sourceIdentity !== undefined) context["sts:SourceIdentity"] = request.sourceIdentity;
  if (request.transitiveTagKeys.length > 0) context["sts:TransitiveTagKeys"] = request.transitiveTagKeys;
  return context;
}

function authorizeOnRole(
  call: ServiceCall,
  role: IamRole,
  action: string,
  context: Record<string, string | string[]>,
) {
  authorize(call, {
    action,
    resource: role.arn,
    resourceAccount: role.account,
    context,
    resourcePolicy: { name: `${role.arn} trust policy`, document: role.trust },
    combine: "resource-gates",
  });
}

/**
 * Any AssumeRole made with temporary credentials (an assumed role, or GetSessionToken's) counts as role
 * chaining for the duration: capped at one hour, and asking for more is an error.
 */
function checkChainDuration(call: ServiceCall, duration: number): void {
  if (call.caller.credential !== "long-term" && duration > ROLE_CHAIN_MAX_SECONDS) {
    throw refuse(
      call,
      new AwsServiceError("ValidationError", ROLE_CHAIN_LIMIT_MESSAGE, 400),
      `DurationSeconds ${duration} with temporary credentials (limit ${ROLE_CHAIN_MAX_SECONDS})`,
    );
  }
}

/** AWS answers a role that does not exist like one the caller may not assume. */
function roleToAssume(call: ServiceCall, roleArn: string): IamRole {
  const role = findRoleByArn(call.runtime.world, roleArn);
  if (role) return role;
  call.audit.decision = "ImplicitDeny";
  call.audit.reason = `sts:AssumeRole on ${roleArn}: the role does not exist`;
  throw new AwsServiceError(
    "AccessDenied",
    `User: ${call.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
}

/** The role's limits, checked once the caller may assume it: its maximum duration, an unchanged source identity. */
function checkRoleLimits(
  call: ServiceCall,
  role: IamRole,
  request: AssumeRoleRequest,
  duration: number,
): void {
  const { caller } = call;
  if (duration > role.maxSessionDuration) {
    throw refuse(
      call,
      new AwsServiceError("ValidationError", ROLE_MAX_DURATION_MESSAGE, 400),
      `DurationSeconds ${duration} exceeds MaxSessionDuration ${role.maxSessionDuration} of ${role.arn}`,
    );
  }
  if (
    caller.sourceIdentity !== undefined &&
    request.sourceIdentity !== undefined &&
    caller.sourceIdentity !== request.sourceIdentity
  ) {
    throw refuse(
      call,
      new AwsServiceError(
        "AccessDenied",
        "The source identity of a role session cannot be changed in a role chain.",
        403,
      ),
      "SourceIdentity differs from the calling session's",
    );
  }
}

/** The session tags the new session gets: inherited transitive ones, then the request's. */
interface SessionTags {
  inherited: Record<string, string>;
  all: Record<string, string>;
}

function assumedRoleResult(
  call: ServiceCall,
  role: IamRole,
  request: AssumeRoleRequest,
  tags: SessionTags,
  mfaInRequest: boolean,
  duration: number,
): XmlObject {
  const { caller } = call;
  const mfaAt = mfaInRequest ? call.now : caller.mfaAuthenticatedAtMs;
  if (mfaAt !== undefined) call.audit.mfa = true;
  const sourceIdentity = caller.sourceIdentity ?? request.sourceIdentity;
  const session = issueSession(
    call,
    {
      kind: "assumed-role",
      account: role.account,
      roleArn: role.arn,
      sessionName: request.sessionName,
      mfaAuthenticatedAt: mfaAt !== undefined ? new Date(mfaAt).toISOString() : undefined,
      // Session tags (passed or inherited) override the role's own tags.
      tags: { ...role.tags, ...tags.all },
      transitiveTagKeys: [...new Set([...Object.keys(tags.inherited), ...request.transitiveTagKeys])],
      sourceIdentity,
      sessionPolicy: request.policy,
      roleChain: caller.type === "AssumedRole",
    },
    duration,
  );
  const result: XmlObject = {
    Credentials: credentialsXml(session),
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${request.sessionName}`,
      Arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${request.sessionName}`,
    },
  };
  if (sourceIdentity !== undefined) result.SourceIdentity = sourceIdentity;
  return result;
}

export function assumeRole(call: ServiceCall, params: QueryParams): XmlObject {
  const request = readRequest(params);
  const duration = request.duration ?? ROLE_SESSION_DEFAULT_SECONDS;
  checkChainDuration(call, duration);
  const mfaInRequest = checkMfaCode(call, request.serial, request.code);
  const inherited = inheritedTransitiveTags(call, request);
  const tags: SessionTags = { inherited, all: { ...inherited, ...request.tags } };
  const context = stsContext(call, request, mfaInRequest, tags.all);
  const role = roleToAssume(call, request.roleArn);
  if (Object.keys(tags.all).length > 0) authorizeOnRole(call, role, "sts:TagSession", context);
  if (request.sourceIdentity !== undefined) authorizeOnRole(call, role, "sts:SetSourceIdentity", context);
  authorizeOnRole(call, role, "sts:AssumeRole", context);
  checkRoleLimits(call, role, request, duration);
  return assumedRoleResult(call, role, request, tags, mfaInRequest, duration);
}
