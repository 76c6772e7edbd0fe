// Date condition operators: DateEquals, DateNotEquals, DateLessThan(Equals), DateGreaterThan(Equals).

import type { ConditionOperator } from "./operator.js";
import { orderedOperators } from "./ordered-operators.js";

const EPOCH_SECONDS = /^-?\d+$/;
// W3C's ISO-8601 profile: a date, optionally a time with optional fraction and zone.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Parses a date as IAM accepts it — ISO-8601 or UNIX epoch seconds — into milliseconds since the epoch. */
export function parseIamDate(text: string): number | undefined {
  const trimmed = text.trim();
  if (EPOCH_SECONDS.test(trimmed)) return Number(trimmed) * 1000;
  if (!ISO_8601.test(trimmed)) return undefined;
  // A date-time without a zone is read as UTC, as AWS does, not as the machine's local time.
  const hasZone = /T.*(Z|[+-]\d{2}:\d{2})$/.test(trimmed);
  const withZone = trimmed.includes("T") && !hasZone ? `${trimmed}Z` : trimmed;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}

export const dateOperators: ConditionOperator[] = orderedOperators("Date", parseIamDate);
