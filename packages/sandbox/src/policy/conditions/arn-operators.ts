// ARN condition operators: ArnEquals, ArnLike, ArnNotEquals, ArnNotLike (segment-wise, wildcards allowed in all four).

import { splitArn } from "../arn.js";
import { expandPolicyString } from "../variables.js";
import { matchesTokens } from "../wildcard.js";
import type { ComparisonScope, ConditionOperator } from "./operator.js";

/**
 * AWS documents ArnEquals and ArnLike as the same test: each of the six colon-separated parts is matched
 * on its own, case-sensitively, with `*` and `?` wildcards; the resource part keeps any further colons.
 */
function arnMatches(requestValue: string, policyValue: string, scope: ComparisonScope): boolean | undefined {
  const policyParts = splitArn(policyValue);
  const requestParts = splitArn(requestValue);
  if (!policyParts || !requestParts) return undefined;
  for (let i = 0; i < policyParts.length; i++) {
    const tokens = expandPolicyString(policyParts[i]!, scope.context, {
      variables: scope.variables,
      wildcards: true,
    });
    if (tokens === undefined) return undefined;
    if (!matchesTokens(tokens, requestParts[i]!, false)) return false;
  }
  return true;
}

export const arnOperators: ConditionOperator[] = [
  { name: "ArnEquals", negated: false, compare: arnMatches },
  { name: "ArnLike", negated: false, compare: arnMatches },
  { name: "ArnNotEquals", negated: true, compare: arnMatches },
  { name: "ArnNotLike", negated: true, compare: arnMatches },
];
