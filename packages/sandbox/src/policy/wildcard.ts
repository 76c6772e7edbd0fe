// Matches IAM wildcard patterns (`*` any run of characters, `?` exactly one) against strings.

/** One piece of a pattern after policy variables are resolved: literal text, `*`, or `?`. */
export type PatternToken = { kind: "text"; text: string } | { kind: "any" } | { kind: "one" };

/** Splits a string into literal text and wildcards, with no policy-variable handling. */
export function tokenizeWildcards(pattern: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  let text = "";
  for (const ch of pattern) {
    if (ch === "*" || ch === "?") {
      if (text) tokens.push({ kind: "text", text });
      text = "";
      tokens.push({ kind: ch === "*" ? "any" : "one" });
    } else {
      text += ch;
    }
  }
  if (text) tokens.push({ kind: "text", text });
  return tokens;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** Compiles tokens to an anchored regular expression; `*` and `?` also match newlines and colons. */
export function compilePattern(tokens: readonly PatternToken[], options: { ignoreCase: boolean }): RegExp {
  let source = "^";
  for (const token of tokens) {
    if (token.kind === "any") source += "[\\s\\S]*";
    else if (token.kind === "one") source += "[\\s\\S]";
    else source += token.text.replace(REGEX_SPECIAL, "\\$&");
  }
  source += "$";
  // `u` so that `?` stands for one character even outside the Basic Multilingual Plane.
  return new RegExp(source, options.ignoreCase ? "iu" : "u");
}

/** Whether `value` matches the tokens as a whole. */
export function matchesTokens(tokens: readonly PatternToken[], value: string, ignoreCase: boolean): boolean {
  if (tokens.length === 1 && tokens[0]?.kind === "any") return true;
  if (tokens.every((t) => t.kind === "text")) {
    const literal = tokens.map((t) => (t.kind === "text" ? t.text : "")).join("");
    return ignoreCase ? literal.toLowerCase() === value.toLowerCase() : literal === value;
  }
  return compilePattern(tokens, { ignoreCase }).test(value);
}

/** Whether `value` matches a plain wildcard pattern (no policy variables). */
export function matchesWildcard(pattern: string, value: string, options: { ignoreCase: boolean }): boolean {
  return matchesTokens(tokenizeWildcards(pattern), value, options.ignoreCase);
}

/** Joins tokens back into the literal string they stand for, for operators that take no wildcards. */
export function tokensToLiteral(tokens: readonly PatternToken[]): string {
  return tokens.map((t) => (t.kind === "text" ? t.text : t.kind === "any" ? "*" : "?")).join("");
}
