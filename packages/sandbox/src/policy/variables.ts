// Resolves policy variables (`${aws:username}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}`) in a policy string.

import type { ContextLookup } from "./request-context.js";
import { type PatternToken, tokenizeWildcards } from "./wildcard.js";

/** How a policy string is read: with variables only in policy language 2012-10-17, with wildcards per element. */
export interface PolicyStringOptions {
  /** Policy variables exist only in Version "2012-10-17"; earlier versions read `${…}` literally. */
  variables: boolean;
  /** Whether `*` and `?` are wildcards (Resource, StringLike, ArnLike) or literal characters. */
  wildcards: boolean;
}

/** The escapes IAM defines for characters that would otherwise be wildcards or start a variable. */
const ESCAPES: Record<string, string> = { "*": "*", "?": "?", $: "$" };

/**
 * Turns a policy string into pattern tokens with every variable replaced by the request's value.
 * Returns undefined when a variable has no single value in the request and no default: AWS then treats the
 * value as not matching anything, so the element or condition it sits in does not match.
 */
export function expandPolicyString(
  value: string,
  context: ContextLookup,
  options: PolicyStringOptions,
): PatternToken[] | undefined {
  const literal = (text: string): PatternToken[] =>
    options.wildcards ? tokenizeWildcards(text) : text ? [{ kind: "text", text }] : [];
  if (!options.variables || !value.includes("${")) return literal(value);
  const tokens: PatternToken[] = [];
  let rest = value;
  for (;;) {
    const start = rest.indexOf("${");
    const end = start < 0 ? -1 : rest.indexOf("}", start + 2);
    if (start < 0 || end < 0) {
      tokens.push(...literal(rest));
      return tokens;
    }
    tokens.push(...literal(rest.slice(0, start)));
    const resolved = resolveVariable(rest.slice(start + 2, end), context);
    if (resolved === undefined) return undefined;
    // A substituted value is literal text: a `*` inside a user name is not a wildcard.
    if (resolved) tokens.push({ kind: "text", text: resolved });
    rest = rest.slice(end + 1);
  }
}

/** Resolves the inside of one `${…}`: an escape, a context key, or a context key with a quoted default. */
export function resolveVariable(inner: string, context: ContextLookup): string | undefined {
  const escaped = ESCAPES[inner];
  if (escaped !== undefined) return escaped;
  let name = inner;
  let fallback: string | undefined;
  const comma = inner.indexOf(",");
  if (comma >= 0) {
    name = inner.slice(0, comma);
    const rawDefault = inner.slice(comma + 1).trim();
    if (rawDefault.length >= 2 && rawDefault.startsWith("'") && rawDefault.endsWith("'")) {
      fallback = rawDefault.slice(1, -1);
    }
  }
  const found = context.get(name.trim());
  // Multivalued keys cannot stand in a single string; they resolve like an absent key.
  if (typeof found === "string") return found;
  return fallback;
}
