// STS GetSessionToken and GetFederationToken: temporary credentials for an IAM user, with MFA for the
// former and a session policy for the latter.

import type { QueryParams } from "../protocol/query.js";
import type { XmlObject } from "../protocol/xml.js";
import type { ServiceCall } from "../server/runtime.js";
import { allowWithoutPolicy, authorize } from "./authorize.js";
import { checkMfaCode } from "./mfa-check.js";
import { ParamValidator, STS_NAME_PATTERN } from "./param-validation.js";
import { baseRequestContext } from "./request-context.js";
import { credentialsXml, issueSession } from "./session-issuer.js";
import { readSessionPolicy, readSessionTags, requestTagContext } from "./session-parameters.js";

/** GetSessionToken and GetFederationToken: 15 minutes to 36 hours, 12 hours unless asked. */
export const USER_SESSION_MIN_SECONDS = 900;
export const USER_SESSION_MAX_SECONDS = 129600;
export const USER_SESSION_DEFAULT_SECONDS = 43200;

export const SERIAL_NUMBER_RULE = {
  min: 9,
  max: 256,
  pattern: /^[\w+=/:,.@-]*$/,
  patternText: "[\\w+=/:,.@-]*",
};
export const TOKEN_CODE_RULE = { min: 6, max: 6, pattern: /^\d*$/, patternText: "[\\d]*" };

export function getSessionToken(call: ServiceCall, params: QueryParams): XmlObject {
  const v = new ParamValidator(params);
  const duration = v.integer("DurationSeconds", {
    min: USER_SESSION_MIN_SECONDS,
    max: USER_SESSION_MAX_SECONDS,
  });
  const serial = v.string("SerialNumber", SERIAL_NUMBER_RULE);
  const code = v.string("TokenCode", TOKEN_CODE_RULE);
  v.done();
  const withMfa = checkMfaCode(call, serial, code);
  allowWithoutPolicy(call, "GetSessionToken needs no permission (an authentication operation)");
  const { caller } = call;
  const session = issueSession(
    call,
    {
      kind: "session-token",
      account: caller.account,
      userName: caller.userName,
      mfaAuthenticatedAt: withMfa ? new Date(call.now).toISOString() : undefined,
      tags: {},
      transitiveTagKeys: [],
      roleChain: false,
    },
    duration ?? USER_SESSION_DEFAULT_SECONDS,
  );
  if (withMfa) call.audit.mfa = true;
  return { Credentials: credentialsXml(session) };
}

export function getFederationToken(call: ServiceCall, params: QueryParams): XmlObject {
  const v = new ParamValidator(params);
  const name = v.string("Name", { required: true, min: 2, max: 32, ...STS_NAME_PATTERN });
  const duration = v.integer("DurationSeconds", {
    min: USER_SESSION_MIN_SECONDS,
    max: USER_SESSION_MAX_SECONDS,
  });
  const policy = readSessionPolicy(v);
  const tags = readSessionTags(params, v);
  v.done();
  const { caller } = call;
  const arn = `arn:aws:sts::${caller.account}:federated-user/${name}`;
  authorize(call, {
    action: "sts:GetFederationToken",
    resource: arn,
    context: { ...baseRequestContext(call), ...requestTagContext(tags) },
  });
  if (Object.keys(tags).length > 0) {
    authorize(call, {
      action: "sts:TagSession",
      resource: arn,
      context: { ...baseRequestContext(call), ...requestTagContext(tags) },
    });
  }
  const session = issueSession(
    call,
    {
      kind: "federation-token",
      account: caller.account,
      userName: caller.userName,
      federatedName: name,
      tags,
      transitiveTagKeys: [],
      sessionPolicy: policy,
      roleChain: false,
    },
    duration ?? USER_SESSION_DEFAULT_SECONDS,
  );
  return {
    Credentials: credentialsXml(session),
    FederatedUser: { FederatedUserId: `${caller.account}:${name}`, Arn: arn },
  };
}
