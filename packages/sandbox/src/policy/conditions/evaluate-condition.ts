// Decides a statement's Condition block against the request context, with AWS's missing-key and set rules.

import type { ContextLookup } from "../request-context.js";
import type { ConditionBlock } from "../types.js";
import type { ComparisonScope, ConditionOperator } from "./operator.js";
import { parseOperatorName } from "./operator-registry.js";

/**
 * One request value against the policy values of one condition: values are OR'ed for a positive operator;
 * a negated operator holds only when no value matches (and every value could be compared).
 */
function valueSatisfies(
  operator: ConditionOperator,
  requestValue: string,
  policyValues: readonly string[],
  scope: ComparisonScope,
): boolean {
  if (operator.negated) {
    return policyValues.every((policyValue) => operator.compare(requestValue, policyValue, scope) === false);
  }
  return policyValues.some((policyValue) => operator.compare(requestValue, policyValue, scope) === true);
}

function asPolicyValues(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => String(v));
}

/** Evaluates one `operator: {key: values}` entry. */
export function conditionHolds(
  operatorName: string,
  key: string,
  rawValues: unknown,
  context: ContextLookup,
  variables: boolean,
): boolean {
  const parsed = parseOperatorName(operatorName);
  if (!parsed) return false;
  const policyValues = asPolicyValues(rawValues);
  const requestValue = context.get(key);

  if (parsed.kind === "null") {
    // Null "true" means "the key is absent"; "false" means "the key is present".
    const wanted = requestValue === undefined ? "true" : "false";
    return policyValues.some((v) => v.toLowerCase() === wanted);
  }

  const scope: ComparisonScope = { context, variables };
  const { operator, set, ifExists } = parsed;

  if (requestValue === undefined) {
    // IfExists: an absent key satisfies the condition, whatever the set operator.
    if (ifExists) return true;
    // ForAllValues over no values is vacuously true; ForAnyValue needs at least one value.
    if (set === "ForAllValues") return true;
    if (set === "ForAnyValue") return false;
    // A negated operator is satisfied by an absent key (nothing there equals the value).
    return operator.negated;
  }

  if (set) {
    const values = Array.isArray(requestValue) ? requestValue : [requestValue];
    return set === "ForAllValues"
      ? values.every((value) => valueSatisfies(operator, value, policyValues, scope))
      : values.some((value) => valueSatisfies(operator, value, policyValues, scope));
  }

  // A single-valued operator never matches a multivalued key; AWS requires a set operator for those.
  if (Array.isArray(requestValue)) return false;
  return valueSatisfies(operator, requestValue, policyValues, scope);
}

/** Every operator and every key in the block must hold (AND); values within one key are OR'ed. */
export function conditionBlockHolds(
  block: ConditionBlock | undefined,
  context: ContextLookup,
  variables: boolean,
): boolean {
  if (!block) return true;
  for (const [operatorName, entries] of Object.entries(block)) {
    for (const [key, values] of Object.entries(entries)) {
      if (!conditionHolds(operatorName, key, values, context, variables)) return false;
    }
  }
  return true;
}
