// Asks the policy engine whether the caller may do an action on a resource, records the decision for the
// audit line, and turns a denial into AWS's AccessDenied.

import { denialMessage, evaluatePolicies } from "../policy/index.js";
import type {
  EvaluationInput,
  EvaluationResult,
  NamedPolicy,
  RequestContextValues,
} from "../policy/types.js";
import { AwsServiceError } from "../protocol/errors.js";
import type { ServiceCall } from "../server/runtime.js";
import { requestPrincipal } from "./request-context.js";
import { findUser, rolePolicies, userPolicies } from "./world-lookup.js";

/** A session with no session policy of its own that still needs one (GetFederationToken without Policy). */
const NO_PERMISSIONS: NamedPolicy = { name: "federation-session/none", document: { Statement: [] } };

/** The caller's identity policies and the session policies that limit them. */
export function callerPolicies(call: ServiceCall): {
  identity: NamedPolicy[];
  session?: NamedPolicy[] | undefined;
} {
  const { caller, runtime } = call;
  const session = caller.sessionPolicy
    ? [{ name: "session-policy", document: caller.sessionPolicy }]
    : undefined;
  if (caller.type === "AssumedRole") {
    const role = runtime.world.roles.find((r) => r.arn === caller.roleArn);
    return { identity: role ? rolePolicies(runtime.world, role) : [], session };
  }
  const user = caller.userName ? findUser(runtime.world, caller.account, caller.userName) : undefined;
  const identity = user ? userPolicies(runtime.world, user) : [];
  // A federated user has only what its session policy grants (and the user's policies allow).
  if (caller.type === "FederatedUser") return { identity, session: session ?? [NO_PERMISSIONS] };
  return { identity, session };
}

export interface AuthorizationQuestion {
  action: string;
  resource: string;
  /** Account owning the resource; the caller's when omitted. */
  resourceAccount?: string | undefined;
  context: RequestContextValues;
  resourcePolicy?: NamedPolicy;
  combine?: EvaluationInput["combine"];
  /** STS writes its denials without AWS's newer "because …" clause; IAM writes it. */
  withReason?: boolean;
}

function auditReason(result: EvaluationResult): string {
  if (result.decidedBy)
    return `${result.decidedBy.policy}#${result.decidedBy.statement} (${result.decidedBy.kind})`;
  return result.reason;
}

/** The evaluation, recorded on the call's audit facts; throws AccessDenied when the answer is not Allow. */
export function authorize(call: ServiceCall, question: AuthorizationQuestion): EvaluationResult {
  const policies = callerPolicies(call);
  const result = evaluatePolicies({
    request: {
      action: question.action,
      resource: question.resource,
      resourceAccount: question.resourceAccount ?? call.caller.account,
      principal: requestPrincipal(call),
      context: question.context,
    },
    identityPolicies: policies.identity,
    resourcePolicy: question.resourcePolicy,
    sessionPolicies: policies.session,
    combine: question.combine,
  });
  call.audit.decision = result.decision;
  call.audit.reason = `${question.action} on ${question.resource}: ${auditReason(result)}`;
  if (result.decision === "Allow") return result;
  const denyingPolicy = result.decidedBy?.policy;
  throw new AwsServiceError(
    "AccessDenied",
    denialMessage({
      principalArn: call.caller.arn,
      action: question.action,
      resource: question.resource,
      reason: question.withReason ? result.reason : "",
      denyingPolicyArn:
        question.withReason && result.decidedBy?.kind !== "resource" && denyingPolicy?.startsWith("arn:")
          ? denyingPolicy
          : undefined,
    }),
    403,
  );
}

/** Records a call that AWS allows without consulting any policy (GetCallerIdentity, GetSessionToken). */
export function allowWithoutPolicy(call: ServiceCall, why: string): void {
  call.audit.decision = "Allow";
  call.audit.reason = why;
}

/** Records a refusal decided before any policy (bad MFA code, wrong credential type) and returns the error. */
export function refuse(call: ServiceCall, error: AwsServiceError, why: string): AwsServiceError {
  call.audit.decision = error.code;
  call.audit.reason = why;
  return error;
}
