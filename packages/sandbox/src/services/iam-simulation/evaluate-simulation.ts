// Decides each action × resource of a simulation with the sandbox's policy engine, and writes IAM's
// EvaluationResults: EvalDecision (allowed / explicitDeny / implicitDeny), MatchedStatements, the context keys
// the relevant statements test but the request did not give (MissingContextValues), and the boundary's say.

import { statementMatchesAction, toList } from "../../policy/action-match.js";
import { splitArn } from "../../policy/arn.js";
import { evaluatePolicies } from "../../policy/evaluate.js";
import { ContextLookup } from "../../policy/request-context.js";
import { statementMatchesResource } from "../../policy/resource-match.js";
import { supportsVariables } from "../../policy/statement-match.js";
import type {
  DecidingStatement,
  EvaluationInput,
  EvaluationResult,
  NamedPolicy,
  RequestPrincipal,
} from "../../policy/types.js";
import type { XmlObject } from "../../protocol/xml.js";
import { policyLabel } from "./policy-source.js";
import type { SimulationInput } from "./simulation-input.js";

export interface SimulationSubject {
  principal: RequestPrincipal;
  identity: NamedPolicy[];
  boundaries: NamedPolicy[];
  resourcePolicy?: NamedPolicy | undefined;
}

const DECISION: Record<EvaluationResult["decision"], string> = {
  Allow: "allowed",
  ExplicitDeny: "explicitDeny",
  ImplicitDeny: "implicitDeny",
};

/** Key policies and role trust policies gate their resource, as the engine's "resource-gates" says. */
function combineFor(action: string, resource: string): EvaluationInput["combine"] {
  if (action.toLowerCase() === "sts:assumerole" || resource.startsWith("arn:aws:kms:"))
    return "resource-gates";
  return "either";
}

function resourceAccount(resource: string, input: SimulationInput, principal: RequestPrincipal): string {
  if (input.resourceOwner) return splitArn(input.resourceOwner)?.[4] ?? principal.account;
  if (!input.resourcePolicy) return principal.account;
  const account = splitArn(resource)?.[4];
  return account && /^\d{12}$/.test(account) ? account : principal.account;
}

/** Condition keys of the statements that match the action and resource which the context does not carry. */
function missingContextKeys(
  policies: NamedPolicy[],
  action: string,
  resource: string,
  context: ContextLookup,
): string[] {
  const missing = new Set<string>();
  for (const policy of policies) {
    const variables = supportsVariables(policy.document.Version);
    for (const statement of toList(policy.document.Statement)) {
      if (!statementMatchesAction(statement, action)) continue;
      if (!statementMatchesResource(statement, resource, context, variables)) continue;
      for (const keys of Object.values(statement.Condition ?? {})) {
        for (const key of Object.keys(keys)) if (context.get(key) === undefined) missing.add(key);
      }
    }
  }
  return [...missing];
}

function matchedStatements(result: EvaluationResult): XmlObject[] {
  const statements: DecidingStatement[] =
    result.decision === "Allow" ? (result.allowedBy ?? []) : result.decidedBy ? [result.decidedBy] : [];
  return statements.map((s) => {
    const label = policyLabel(s.policy);
    return { SourcePolicyId: label.id, SourcePolicyType: label.type };
  });
}

/** The boundary decides only whether it allows: an action it does not allow is denied whatever else says. */
function withBoundary(
  result: EvaluationResult,
  subject: SimulationSubject,
  request: EvaluationInput["request"],
): { result: EvaluationResult; allowedByBoundary?: boolean } {
  if (subject.boundaries.length === 0) return { result };
  const boundary = evaluatePolicies({ request, identityPolicies: subject.boundaries });
  if (boundary.decision === "Allow" || result.decision === "ExplicitDeny")
    return { result, allowedByBoundary: boundary.decision === "Allow" };
  const denied: EvaluationResult = {
    decision: boundary.decision,
    decidedBy: boundary.decidedBy ? { ...boundary.decidedBy, kind: "boundary" } : undefined,
    reason: boundary.reason,
  };
  return { result: denied, allowedByBoundary: false };
}

/** One EvaluationResults member. */
export function evaluateOne(
  subject: SimulationSubject,
  input: SimulationInput,
  action: string,
  resource: string,
): XmlObject {
  const request = {
    action,
    resource,
    resourceAccount: resourceAccount(resource, input, subject.principal),
    principal: subject.principal,
    context: input.context,
  };
  const decided = evaluatePolicies({
    request,
    identityPolicies: subject.identity,
    resourcePolicy: subject.resourcePolicy,
    combine: combineFor(action, resource),
  });
  const { result, allowedByBoundary } = withBoundary(decided, subject, request);
  const all = [...subject.identity, ...(subject.resourcePolicy ? [subject.resourcePolicy] : [])];
  const missing = missingContextKeys(all, action, resource, new ContextLookup(input.context));
  return {
    EvalActionName: action,
    EvalResourceName: resource,
    EvalDecision: DECISION[result.decision],
    MatchedStatements: matchedStatements(result),
    MissingContextValues: missing,
    PermissionsBoundaryDecisionDetail:
      allowedByBoundary === undefined ? undefined : { AllowedByPermissionsBoundary: allowedByBoundary },
  };
}

/** Every action against every resource, in the order given (action-major, as IAM lists them). */
export function evaluateAll(subject: SimulationSubject, input: SimulationInput): XmlObject[] {
  return input.actions.flatMap((action) =>
    input.resources.map((resource) => evaluateOne(subject, input, action, resource)),
  );
}
