// The BinaryEquals condition operator: compares base64-encoded binary values byte for byte.

import { literalPolicyValue } from "./literal-policy-value.js";
import type { ComparisonScope, ConditionOperator } from "./operator.js";

export const binaryOperator: ConditionOperator = {
  name: "BinaryEquals",
  negated: false,
  compare(requestValue: string, policyValue: string, scope: ComparisonScope) {
    const policy = literalPolicyValue(policyValue, scope);
    if (policy === undefined) return undefined;
    // The request context carries the value base64-encoded, as the policy writes it.
    return policy === requestValue;
  },
};
