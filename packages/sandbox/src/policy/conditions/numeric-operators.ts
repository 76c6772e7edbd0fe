// Numeric condition operators: NumericEquals, NumericNotEquals, NumericLessThan(Equals), NumericGreaterThan(Equals).

import type { ConditionOperator } from "./operator.js";

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Parses an integer or decimal as IAM writes them; anything else is not a number. */
export function parseIamNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

function numericCompare(test: (request: number, policy: number) => boolean) {
  // Numeric operators take no policy variables: a `${…}` value is simply not a number.
  return (requestValue: string, policyValue: string): boolean | undefined => {
    const request = parseIamNumber(requestValue);
    const policy = parseIamNumber(policyValue);
    if (request === undefined || policy === undefined) return undefined;
    return test(request, policy);
  };
}

export const numericOperators: ConditionOperator[] = [
  { name: "NumericEquals", negated: false, compare: numericCompare((r, p) => r === p) },
  { name: "NumericNotEquals", negated: true, compare: numericCompare((r, p) => r === p) },
  { name: "NumericLessThan", negated: false, compare: numericCompare((r, p) => r < p) },
  { name: "NumericLessThanEquals", negated: false, compare: numericCompare((r, p) => r <= p) },
  { name: "NumericGreaterThan", negated: false, compare: numericCompare((r, p) => r > p) },
  { name: "NumericGreaterThanEquals", negated: false, compare: numericCompare((r, p) => r >= p) },
];
