// World-file problems as "path: problem" lines: the issue type, path formatting, and zod issues made readable.

import type { z } from "zod";

export type PathSegment = string | number;

export interface WorldIssue {
  /** Where in the file, as segments: ["roles", 2, "trust", "Statement", 0, "Effect"]. */
  path: PathSegment[];
  /** What is wrong, for a person: 'expected "Allow" or "Deny", got "allow"'. Never holds a secret. */
  message: string;
  /** 1-based position in the file when known. */
  line?: number;
  column?: number;
}

/** `roles[2].trust.Statement[0].Effect`; keys that are not plain identifiers are quoted: `tags["cost center"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === "" ? "(top level)" : out;
}

export function formatIssue(issue: WorldIssue): string {
  const position = issue.line === undefined ? undefined : `line ${issue.line}, column ${issue.column ?? 1}`;
  // A problem with no path (YAML syntax) is best placed by its position alone.
  if (issue.path.length === 0 && position !== undefined) return `${position}: ${issue.message}`;
  return `${formatPath(issue.path)}: ${issue.message}${position === undefined ? "" : ` (${position})`}`;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  return typeof value;
}

const EXPECTED_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
  literal: "a fixed value",
};

function orList(items: string[]): string {
  if (items.length <= 2) return items.join(" or ");
  return `one of ${items.join(", ")}`;
}

function quoteShort(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Edit distance, to suggest the key a typo meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

// zod v4 keeps a schema's definition in `_zod.def`; reading it lets an unknown key be answered with the
// keys that are allowed there. Best effort: unknown wrapper kinds simply give no suggestion.
interface SchemaDef {
  type: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  innerType?: unknown;
  in?: unknown;
  options?: unknown[];
  valueType?: unknown;
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

function keysAt(schema: unknown, path: readonly PathSegment[]): string[] {
  const def = defOf(schema);
  if (def === undefined) return [];
  switch (def.type) {
    case "optional":
    case "default":
    case "prefault":
    case "nullable":
    case "readonly":
    case "catch":
      return keysAt(def.innerType, path);
    case "pipe":
      return keysAt(def.in, path);
    case "union":
      return [...new Set((def.options ?? []).flatMap((option) => keysAt(option, path)))];
  }
  if (path.length === 0) return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
  const [head, ...rest] = path;
  if (def.type === "object") return keysAt(def.shape?.[String(head)], rest);
  if (def.type === "array") return keysAt(def.element, rest);
  if (def.type === "record") return keysAt(def.valueType, rest);
  return [];
}

type ZodIssue = z.core.$ZodIssue;

/** Turns zod's issues into world issues, reading the parsed YAML to say what was found instead. */
export function issuesFromZod(
  issues: readonly ZodIssue[],
  input: unknown,
  schema: z.ZodType,
  prefix: PathSegment[] = [],
): WorldIssue[] {
  const out: WorldIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    const found = valueAt(input, path);
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = keysAt(schema, path);
        for (const key of issue.keys) {
          const guess = closest(key, allowed);
          const hint = guess === undefined ? "" : ` (did you mean "${guess}"?)`;
          out.push({ path: [...path, key], message: `unknown key${hint}` });
        }
        break;
      }
      case "invalid_type": {
        if (found === undefined) {
          out.push({ path, message: "required" });
          break;
        }
        const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
        let message = `expected ${expected}, got ${describeValue(found)}`;
        if (issue.expected === "string" && (typeof found === "number" || typeof found === "boolean")) {
          message += ` (quote it in YAML: "${String(found)}")`;
        }
        out.push({ path, message });
        break;
      }
      case "invalid_value": {
        const options = issue.values.map((value) => JSON.stringify(value));
        const got = found === undefined ? "" : `, got ${quoteShort(found)}`;
        out.push({ path, message: `expected ${orList(options)}${got}` });
        break;
      }
      case "invalid_union": {
        out.push(...describeUnion(issue, path, found, input, schema));
        break;
      }
      case "too_small":
      case "too_big": {
        out.push({ path, message: describeBound(issue) });
        break;
      }
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

function describeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  // Our schemas give their own messages for bounds; zod's defaults start with "Too small"/"Too big".
  if (!/^Too (small|big)/.test(issue.message)) return issue.message;
  const small = issue.code === "too_small";
  const limit = String(small ? issue.minimum : issue.maximum);
  switch (issue.origin) {
    case "string":
      return small && limit === "1"
        ? "must not be empty"
        : `expected at ${small ? "least" : "most"} ${limit} characters`;
    case "array":
    case "set":
      return `expected at ${small ? "least" : "most"} ${limit} items`;
    default:
      return `expected ${small ? "at least" : "at most"} ${limit}`;
  }
}

function describeUnion(
  issue: z.core.$ZodIssueInvalidUnion,
  path: PathSegment[],
  found: unknown,
  input: unknown,
  schema: z.ZodType,
): WorldIssue[] {
  const branches = issue.errors;
  // When no branch got past the type check, say which types would do.
  const typeOnly = branches.every(
    (branch) => branch.length === 1 && branch[0]!.path.length === 0 && branch[0]!.code === "invalid_type",
  );
  if (typeOnly && branches.length > 0) {
    const expected = branches.map((branch) => {
      const first = branch[0] as z.core.$ZodIssueInvalidType;
      return EXPECTED_NAMES[first.expected] ?? first.expected;
    });
    return [{ path, message: `expected ${orList([...new Set(expected)])}, got ${describeValue(found)}` }];
  }
  // Otherwise report the branch that matched furthest: the one whose problems lie deepest.
  let best: readonly ZodIssue[] | undefined;
  let bestDepth = -1;
  for (const branch of branches) {
    const depth = Math.max(...branch.map((inner) => inner.path.length));
    if (depth > bestDepth || (depth === bestDepth && best !== undefined && branch.length < best.length)) {
      best = branch;
      bestDepth = depth;
    }
  }
  if (best === undefined || bestDepth === 0) {
    const literals = branches.flatMap((branch) =>
      branch.flatMap((inner) =>
        inner.code === "invalid_value" ? inner.values.map((v) => JSON.stringify(v)) : [],
      ),
    );
    if (literals.length > 0 && branches.every((branch) => branch.length === 1)) {
      const others = branches
        .filter((branch) => branch[0]!.code !== "invalid_value")
        .map((branch) => branch[0]!.message);
      return [{ path, message: [...others, `expected ${orList(literals)}`].join("; or ") }];
    }
    if (best !== undefined) return issuesFromZod(best, input, schema, path);
    return [{ path, message: issue.message }];
  }
  return issuesFromZod(best, input, schema, path);
}
