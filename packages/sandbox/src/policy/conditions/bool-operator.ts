// The Bool condition operator: "true"/"false", case-insensitive, policy variables allowed.

import { expandPolicyString } from "../variables.js";
import { tokensToLiteral } from "../wildcard.js";
import type { ComparisonScope, ConditionOperator } from "./operator.js";

function asBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : undefined;
}

export const boolOperator: ConditionOperator = {
  name: "Bool",
  negated: false,
  compare(requestValue: string, policyValue: string, scope: ComparisonScope) {
    const tokens = expandPolicyString(policyValue, scope.context, {
      variables: scope.variables,
      wildcards: false,
    });
    if (tokens === undefined) return undefined;
    const policy = asBoolean(tokensToLiteral(tokens));
    const request = asBoolean(requestValue);
    if (policy === undefined || request === undefined) return undefined;
    return policy === request;
  },
};
