// The table of known condition operators and the parser for full operator names (`ForAnyValue:StringLikeIfExists`).

import { arnOperators } from "./arn-operators.js";
import { binaryOperator } from "./binary-operator.js";
import { boolOperator } from "./bool-operator.js";
import { dateOperators } from "./date-operators.js";
import { ipOperators } from "./ip-operators.js";
import { numericOperators } from "./numeric-operators.js";
import type { ConditionOperator } from "./operator.js";
import { stringOperators } from "./string-operators.js";

const byLowerName = new Map<string, ConditionOperator>(
  [
    ...stringOperators,
    ...numericOperators,
    ...dateOperators,
    boolOperator,
    binaryOperator,
    ...ipOperators,
    ...arnOperators,
  ].map((op) => [op.name.toLowerCase(), op]),
);

export type SetOperator = "ForAnyValue" | "ForAllValues";

/** A parsed operator name. `base` is "Null" or one of the comparison operators. */
export type ParsedOperator =
  | { kind: "null"; name: string }
  | { kind: "compare"; name: string; operator: ConditionOperator; set?: SetOperator; ifExists: boolean };

/** All base operator names, for error messages and the schema. */
export const KNOWN_OPERATOR_NAMES: readonly string[] = [
  "Null",
  ...[...byLowerName.values()].map((op) => op.name),
];

/**
 * Parses a condition operator as written in a policy. Returns undefined for names IAM does not know
 * (the schema reports them; the engine treats such a condition as never satisfied).
 */
export function parseOperatorName(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: SetOperator | undefined;
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === "foranyvalue") set = "ForAnyValue";
    else if (prefix === "forallvalues") set = "ForAllValues";
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  if (rest.toLowerCase() === "null") {
    // Null tests presence only: a set operator or IfExists on it has no meaning.
    return set ? undefined : { kind: "null", name };
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith("ifexists")) {
    ifExists = true;
    rest = rest.slice(0, -"IfExists".length);
  }
  const operator = byLowerName.get(rest.toLowerCase());
  if (!operator) return undefined;
  return set
    ? { kind: "compare", name, operator, set, ifExists }
    : { kind: "compare", name, operator, ifExists };
}
