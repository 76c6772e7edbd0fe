// The BinaryEquals condition operator: compares base64-encoded binary values byte for byte.

import { literalOperator } from "./literal-operator.js";

// The request context carries the value base64-encoded, as the policy writes it.
export const binaryOperator = literalOperator("BinaryEquals", (policy, request) => policy === request);
