// The policy engine's public surface: evaluation, matching helpers, the policy schema and AWS's denial text.

export { actionPatternMatches, statementMatchesAction } from "./action-match.js";
export { type ArnParts, splitArn } from "./arn.js";
export { conditionBlockHolds, conditionHolds } from "./conditions/evaluate-condition.js";
export {
  KNOWN_OPERATOR_NAMES,
  type ParsedOperator,
  parseOperatorName,
} from "./conditions/operator-registry.js";
export { type DenialMessageInput, denialMessage } from "./denial-message.js";
export { evaluatePolicies, explicitDenyReason, implicitDenyReason } from "./evaluate.js";
export {
  type PrincipalMatch,
  principalBlockMatch,
  statementPrincipalMatch,
} from "./principal-match.js";
export { ContextLookup, type ContextValue } from "./request-context.js";
export { resourcePatternMatches, statementMatchesResource } from "./resource-match.js";
export { policyDocumentSchema, policyStatementSchema } from "./schema.js";
export { type ApplicableStatement, applicableStatements, supportsVariables } from "./statement-match.js";
export type * from "./types.js";
export { expandPolicyString, resolveVariable } from "./variables.js";
export { matchesWildcard } from "./wildcard.js";
