// The shape every condition operator family implements: one comparison of a request value with a policy value.

import type { ContextLookup } from "../request-context.js";

/** What a comparison may consult besides the two values: the request context for policy variables. */
export interface ComparisonScope {
  context: ContextLookup;
  /** True when the policy's language version supports policy variables (2012-10-17). */
  variables: boolean;
}

/**
 * A base condition operator (StringEquals, NumericLessThan, …).
 * `compare` answers in the positive sense (equal, like, less than, in range); a negated operator
 * (`StringNotEquals`, `NotIpAddress`, …) sets `negated` and the evaluator inverts per AWS's rules.
 * `compare` returns undefined when a value cannot be compared at all (not a number, not an ARN, an
 * unresolvable policy variable): such a value matches neither the operator nor its negation.
 */
export interface ConditionOperator {
  name: string;
  negated: boolean;
  compare(requestValue: string, policyValue: string, scope: ComparisonScope): boolean | undefined;
}
