// AWS's policy evaluation: explicit deny first, then the allows that identity, resource and session policies give.

import { ContextLookup } from "./request-context.js";
import { type ApplicableStatement, applicableStatements } from "./statement-match.js";
import type { DecidingStatement, EvaluationInput, EvaluationResult, NamedPolicy } from "./types.js";

type PolicyKind = DecidingStatement["kind"];

/** AWS's names for the policy types, as its denial messages print them. */
const KIND_PHRASE: Record<PolicyKind, string> = {
  identity: "identity-based policy",
  resource: "resource-based policy",
  session: "session policy",
  boundary: "permissions boundary",
};

function article(phrase: string): string {
  return /^[aeiou]/.test(phrase) ? "an" : "a";
}

/** "an explicit deny in an identity-based policy" */
export function explicitDenyReason(kind: PolicyKind): string {
  const phrase = KIND_PHRASE[kind];
  return `an explicit deny in ${article(phrase)} ${phrase}`;
}

/** "no identity-based policy allows the sts:AssumeRole action" */
export function implicitDenyReason(kind: PolicyKind, action: string): string {
  return `no ${KIND_PHRASE[kind]} allows the ${action} action`;
}

function decidingStatement(statement: ApplicableStatement, kind: PolicyKind): DecidingStatement {
  return { policy: statement.policy, statement: statement.statement, kind };
}

function implicitDeny(kind: PolicyKind, action: string): EvaluationResult {
  return { decision: "ImplicitDeny", reason: implicitDenyReason(kind, action) };
}

/**
 * Decides one request.
 *
 * 1. An explicit deny in any policy that applies wins (identity, then resource, then session policies are
 *    searched, and the first deny found is the one reported).
 * 2. Otherwise the request needs an allow, combined by `input.combine` in the resource's own account:
 *    - "either" (default): a resource-policy statement naming the caller directly suffices; else an
 *      identity-based allow is needed (a resource statement naming only the account delegates to IAM);
 *    - "resource-gates" (role trust policies, KMS key policies): the resource policy must allow — directly,
 *      which suffices, or by naming the account, in which case an identity-based allow is needed too;
 *    - "both": the resource policy and an identity-based policy must both allow.
 *    Across accounts "both" always applies, whatever `combine` says.
 * 3. Session policies intersect with the identity side: without a session allow, only a same-account
 *    resource statement that names the session's own ARN still grants.
 */
export function evaluatePolicies(input: EvaluationInput): EvaluationResult {
  const { request } = input;
  const context = new ContextLookup(request.context);
  const collect = (policies: readonly NamedPolicy[], checkPrincipal: boolean): ApplicableStatement[] =>
    policies.flatMap((policy) => applicableStatements(policy, request, context, checkPrincipal));

  const identity = collect(input.identityPolicies, false);
  const resource = input.resourcePolicy ? collect([input.resourcePolicy], true) : [];
  const session = input.sessionPolicies?.length ? collect(input.sessionPolicies, false) : undefined;

  const denies: [ApplicableStatement[], PolicyKind][] = [
    [identity, "identity"],
    [resource, "resource"],
    [session ?? [], "session"],
  ];
  for (const [statements, kind] of denies) {
    const deny = statements.find((s) => s.effect === "Deny");
    if (deny) {
      return {
        decision: "ExplicitDeny",
        decidedBy: decidingStatement(deny, kind),
        reason: explicitDenyReason(kind),
      };
    }
  }

  const identityAllow = identity.find((s) => s.effect === "Allow");
  const resourceDirect = resource.find((s) => s.effect === "Allow" && s.principalMatch === "direct");
  const resourceAccount = resource.find((s) => s.effect === "Allow" && s.principalMatch === "account");
  const resourceAllow = resourceDirect ?? resourceAccount;
  const sameAccount = request.resourceAccount === request.principal.account;
  const mode = sameAccount ? (input.combine ?? "either") : "both";
  const action = request.action;

  // Which statements grant, and whether the grant rests on the identity side (which session policies limit).
  let grants: DecidingStatement[];
  let identitySide: boolean;
  let standsAloneForSession = false;
  if (mode === "either" || mode === "resource-gates") {
    if (resourceDirect) {
      grants = [decidingStatement(resourceDirect, "resource")];
      identitySide = false;
      standsAloneForSession = resourceDirect.namesCallerArn;
    } else if (mode === "resource-gates" && !resourceAccount) {
      return implicitDeny("resource", action);
    } else if (!identityAllow) {
      return implicitDeny("identity", action);
    } else {
      grants = resourceAccount
        ? [decidingStatement(resourceAccount, "resource"), decidingStatement(identityAllow, "identity")]
        : [decidingStatement(identityAllow, "identity")];
      identitySide = true;
    }
  } else {
    if (!identityAllow) return implicitDeny("identity", action);
    if (!resourceAllow) return implicitDeny("resource", action);
    grants = [decidingStatement(resourceAllow, "resource"), decidingStatement(identityAllow, "identity")];
    identitySide = true;
  }

  if (session !== undefined) {
    const sessionAllow = session.find((s) => s.effect === "Allow");
    if (!sessionAllow && (identitySide || !standsAloneForSession)) return implicitDeny("session", action);
    if (sessionAllow) grants.push(decidingStatement(sessionAllow, "session"));
  }

  return { decision: "Allow", decidedBy: grants[0], allowedBy: grants, reason: "" };
}
