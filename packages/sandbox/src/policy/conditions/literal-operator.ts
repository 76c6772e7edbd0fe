// Operators that compare the policy value literally (Bool, BinaryEquals): its policy variables filled in
// from the request, `*` and `?` plain characters, then the operator's own comparison.

import { expandPolicyString } from "../variables.js";
import { tokensToLiteral } from "../wildcard.js";
import type { ComparisonScope, ConditionOperator } from "./operator.js";

/** The value with its variables resolved, or undefined when a variable has no value (nothing matches then). */
function literalPolicyValue(policyValue: string, scope: ComparisonScope): string | undefined {
  const tokens = expandPolicyString(policyValue, scope.context, {
    variables: scope.variables,
    wildcards: false,
  });
  return tokens === undefined ? undefined : tokensToLiteral(tokens);
}

/** An operator whose comparison takes the literal policy value; a value with an unresolved variable matches nothing. */
export function literalOperator(
  name: string,
  compare: (policy: string, request: string) => boolean | undefined,
): ConditionOperator {
  return {
    name,
    negated: false,
    compare(requestValue: string, policyValue: string, scope: ComparisonScope) {
      const policy = literalPolicyValue(policyValue, scope);
      return policy === undefined ? undefined : compare(policy, requestValue);
    },
  };
}
