// The BinaryEquals condition operator: compares base64-encoded binary values byte for byte.

import { expandPolicyString } from "../variables.js";
import { tokensToLiteral } from "../wildcard.js";
import type { ComparisonScope, ConditionOperator } from "./operator.js";

export const binaryOperator: ConditionOperator = {
  name: "BinaryEquals",
  negated: false,
  compare(requestValue: string, policyValue: string, scope: ComparisonScope) {
    const tokens = expandPolicyString(policyValue, scope.context, {
      variables: scope.variables,
      wildcards: false,
    });
    if (tokens === undefined) return undefined;
    // The request context carries the value base64-encoded, as the policy writes it.
    return tokensToLiteral(tokens) === requestValue;
  },
};
