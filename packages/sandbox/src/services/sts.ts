// The STS service: its actions, and which credentials may call which of them.

import { AwsServiceError } from "../protocol/errors.js";
import type { ServiceCall } from "../server/runtime.js";
import { awsQueryService, type QueryServiceDefinition } from "../server/service-registry.js";
import { allowWithoutPolicy, refuse } from "./authorize.js";
import { assumeRole } from "./sts-assume-role.js";
import { getFederationToken, getSessionToken } from "./sts-session-token.js";

/** STS actions each kind of temporary credential may still call. */
const ALLOWED_WITH: Record<string, string[]> = {
  "session-token": ["AssumeRole", "GetCallerIdentity"],
  "assumed-role": ["AssumeRole", "GetCallerIdentity"],
  "federation-token": ["GetCallerIdentity"],
};

function admitStsCall(call: ServiceCall): void {
  const allowed = ALLOWED_WITH[call.caller.credential];
  if (allowed && !allowed.includes(call.action)) {
    throw refuse(
      call,
      new AwsServiceError("AccessDenied", `Cannot call ${call.action} with session credentials`, 403),
      `${call.caller.credential} credentials cannot call sts:${call.action}`,
    );
  }
}

export const stsService: QueryServiceDefinition = awsQueryService("sts", "2011-06-15", {
  admit: admitStsCall,
  actions: {
    GetCallerIdentity: (call) => {
      // AWS answers GetCallerIdentity for any valid credentials, even under an explicit deny.
      allowWithoutPolicy(call, "GetCallerIdentity needs no permission");
      return { UserId: call.caller.userId, Account: call.caller.account, Arn: call.caller.arn };
    },
    GetSessionToken: getSessionToken,
    AssumeRole: assumeRole,
    GetFederationToken: getFederationToken,
  },
});
