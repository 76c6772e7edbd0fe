// The result shape of every payload parser: a value, or the reason the bytes were rejected (never a throw).

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parsedValue<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function parseFailure<T>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

/** JSON object of a UTF-8 payload, or why it is not one. */
export function parseJsonObject(payload: Uint8Array | string, what: string): Parsed<Record<string, unknown>> {
  const text = typeof payload === "string" ? payload : Buffer.from(payload).toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseFailure(`${what} is not JSON`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return parseFailure(`${what} is not a JSON object`);
  return parsedValue(value as Record<string, unknown>);
}

export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), "utf8");
}
