// The six comparison operators of a family whose values parse to numbers: Equals, NotEquals, LessThan,
// LessThanEquals, GreaterThan, GreaterThanEquals (Numeric…, Date…).

import type { ConditionOperator } from "./operator.js";

type Test = (request: number, policy: number) => boolean;

/** The comparison `test` of the parsed values; undefined when either value does not parse. */
function orderedCompare(parse: (text: string) => number | undefined, test: Test) {
  return (requestValue: string, policyValue: string): boolean | undefined => {
    const request = parse(requestValue);
    const policy = parse(policyValue);
    if (request === undefined || policy === undefined) return undefined;
    return test(request, policy);
  };
}

const COMPARISONS: { suffix: string; negated: boolean; test: Test }[] = [
  { suffix: "Equals", negated: false, test: (r, p) => r === p },
  { suffix: "NotEquals", negated: true, test: (r, p) => r === p },
  { suffix: "LessThan", negated: false, test: (r, p) => r < p },
  { suffix: "LessThanEquals", negated: false, test: (r, p) => r <= p },
  { suffix: "GreaterThan", negated: false, test: (r, p) => r > p },
  { suffix: "GreaterThanEquals", negated: false, test: (r, p) => r >= p },
];

export function orderedOperators(
  family: string,
  parse: (text: string) => number | undefined,
): ConditionOperator[] {
  return COMPARISONS.map(({ suffix, negated, test }) => ({
    name: `${family}${suffix}`,
    negated,
    compare: orderedCompare(parse, test),
  }));
}
