// String condition operators: StringEquals, StringNotEquals, their IgnoreCase forms, StringLike, StringNotLike.

import { expandPolicyString } from "../variables.js";
import { matchesTokens, tokensToLiteral } from "../wildcard.js";
import type { ComparisonScope, ConditionOperator } from "./operator.js";

function stringCompare(wildcards: boolean, ignoreCase: boolean) {
  return (requestValue: string, policyValue: string, scope: ComparisonScope): boolean | undefined => {
    const tokens = expandPolicyString(policyValue, scope.context, { variables: scope.variables, wildcards });
    if (tokens === undefined) return undefined;
    if (wildcards) return matchesTokens(tokens, requestValue, ignoreCase);
    const expected = tokensToLiteral(tokens);
    return ignoreCase ? expected.toLowerCase() === requestValue.toLowerCase() : expected === requestValue;
  };
}

const exact = stringCompare(false, false);
const exactIgnoreCase = stringCompare(false, true);
const like = stringCompare(true, false);

export const stringOperators: ConditionOperator[] = [
  { name: "StringEquals", negated: false, compare: exact },
  { name: "StringNotEquals", negated: true, compare: exact },
  { name: "StringEqualsIgnoreCase", negated: false, compare: exactIgnoreCase },
  { name: "StringNotEqualsIgnoreCase", negated: true, compare: exactIgnoreCase },
  { name: "StringLike", negated: false, compare: like },
  { name: "StringNotLike", negated: true, compare: like },
];
