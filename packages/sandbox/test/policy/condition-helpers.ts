// Test helper: decides one condition entry against a hand-written request context.

import type { RequestContextValues } from "../../src/policy/index.js";
import { ContextLookup, conditionHolds } from "../../src/policy/index.js";

export function holds(
  operator: string,
  key: string,
  values: string | number | boolean | (string | number | boolean)[],
  context: RequestContextValues,
  variables = true,
): boolean {
  return conditionHolds(operator, key, values, new ContextLookup(context), variables);
}
