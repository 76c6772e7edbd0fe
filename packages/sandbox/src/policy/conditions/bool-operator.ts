// The Bool condition operator: "true"/"false", case-insensitive, policy variables allowed.

import { literalOperator } from "./literal-operator.js";

function asBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : undefined;
}

export const boolOperator = literalOperator("Bool", (policyText, requestText) => {
  const policy = asBoolean(policyText);
  const request = asBoolean(requestText);
  if (policy === undefined || request === undefined) return undefined;
  return policy === request;
});
