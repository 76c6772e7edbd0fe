// A policy value as operators that compare literally (Bool, BinaryEquals) read it: policy variables filled
// in from the request, `*` and `?` plain characters.

import { expandPolicyString } from "../variables.js";
import { tokensToLiteral } from "../wildcard.js";
import type { ComparisonScope } from "./operator.js";

/** The value with its variables resolved, or undefined when a variable has no value (nothing matches then). */
export function literalPolicyValue(policyValue: string, scope: ComparisonScope): string | undefined {
  const tokens = expandPolicyString(policyValue, scope.context, {
    variables: scope.variables,
    wildcards: false,
  });
  return tokens === undefined ? undefined : tokensToLiteral(tokens);
}
