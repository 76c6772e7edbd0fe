// Decides which statements of a policy apply to a request, and names each one for audit lines and denials.

import { statementMatchesAction, toList } from "./action-match.js";
import { conditionBlockHolds } from "./conditions/evaluate-condition.js";
import { type PrincipalMatch, statementPrincipalMatch } from "./principal-match.js";
import type { ContextLookup } from "./request-context.js";
import { statementMatchesResource } from "./resource-match.js";
import type { AuthorizationRequest, NamedPolicy, Statement } from "./types.js";

/** A statement that applies to the request, with where it came from. */
export interface ApplicableStatement {
  policy: string;
  /** Sid, or "Statement[i]" when the statement has none. */
  statement: string;
  effect: "Allow" | "Deny";
  /** For resource policies: how the statement names the caller. Identity-side statements are "direct". */
  principalMatch: PrincipalMatch;
  /** The statement's Principal (or NotPrincipal) lists the caller's own ARN exactly. */
  namesCallerArn: boolean;
}

/** Policy variables exist only in the 2012-10-17 policy language; older or missing Version reads them literally. */
export function supportsVariables(version: string | undefined): boolean {
  return version === "2012-10-17";
}

function namesCallerArn(statement: Statement, callerArn: string): boolean {
  const block = statement.Principal;
  if (block === undefined || block === "*") return false;
  return toList(block.AWS).includes(callerArn);
}

/**
 * Every statement of the policy that applies: action, resource and conditions match, and — for resource
 * policies (`checkPrincipal`) — the Principal element names the caller.
 */
export function applicableStatements(
  policy: NamedPolicy,
  request: AuthorizationRequest,
  context: ContextLookup,
  checkPrincipal: boolean,
): ApplicableStatement[] {
  const variables = supportsVariables(policy.document.Version);
  const statements = toList(policy.document.Statement);
  const found: ApplicableStatement[] = [];
  statements.forEach((statement, index) => {
    let principalMatch: PrincipalMatch = "direct";
    if (checkPrincipal) {
      principalMatch = statementPrincipalMatch(statement, request.principal);
      if (principalMatch === "none") return;
    }
    if (!statementMatchesAction(statement, request.action)) return;
    if (!statementMatchesResource(statement, request.resource, context, variables)) return;
    if (!conditionBlockHolds(statement.Condition, context, variables)) return;
    found.push({
      policy: policy.name,
      statement: statement.Sid ? statement.Sid : `Statement[${index}]`,
      effect: statement.Effect,
      principalMatch,
      namesCallerArn: checkPrincipal && namesCallerArn(statement, request.principal.arn),
    });
  });
  return found;
}
