// Numeric condition operators: NumericEquals, NumericNotEquals, NumericLessThan(Equals), NumericGreaterThan(Equals).

import type { ConditionOperator } from "./operator.js";
import { orderedOperators } from "./ordered-operators.js";

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Parses an integer or decimal as IAM writes them; anything else is not a number. */
export function parseIamNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

// Numeric operators take no policy variables: a `${…}` value is simply not a number.
export const numericOperators: ConditionOperator[] = orderedOperators("Numeric", parseIamNumber);
