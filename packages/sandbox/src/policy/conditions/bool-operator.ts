// The Bool condition operator: "true"/"false", case-insensitive, policy variables allowed.

import { literalPolicyValue } from "./literal-policy-value.js";
import type { ComparisonScope, ConditionOperator } from "./operator.js";

function asBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : undefined;
}

export const boolOperator: ConditionOperator = {
  name: "Bool",
  negated: false,
  compare(requestValue: string, policyValue: string, scope: ComparisonScope) {
    const literal = literalPolicyValue(policyValue, scope);
    if (literal === undefined) return undefined;
    const policy = asBoolean(literal);
    const request = asBoolean(requestValue);
    if (policy === undefined || request === undefined) return undefined;
    return policy === request;
  },
};
