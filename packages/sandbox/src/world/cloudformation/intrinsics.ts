// CloudFormation's intrinsic functions, evaluated offline: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select,
// Fn::Split, Fn::If and the condition functions, Fn::FindInMap, Fn::ImportValue (among the loaded templates),
// Fn::Base64, Fn::GetAZs, Fn::ToJsonString and Fn::Length. Anything else is reported, never guessed.

import type { PathSegment } from "../issues.js";

/** `Ref: AWS::NoValue`: the property or list item disappears. */
export const NO_VALUE: unique symbol = Symbol("AWS::NoValue");

/** A value that cannot be known offline; `path` is where in the template the cause sits. */
export class UnresolvedValue extends Error {
  override readonly name = "UnresolvedValue";
  constructor(
    readonly path: PathSegment[],
    message: string,
  ) {
    super(message);
  }
}

/** What the functions read from the template and the other loaded templates. */
export interface IntrinsicScope {
  /** AWS::AccountId, AWS::Region, …; undefined for an unknown pseudo parameter. */
  pseudoParameter(name: string): unknown;
  /** A parameter's value, or undefined when the template declares no such parameter. */
  parameter(name: string, path: PathSegment[]): unknown;
  /** The Ref value of a resource, or undefined when the template has no such resource. */
  resourceRef(logicalId: string, path: PathSegment[]): string | undefined;
  attribute(logicalId: string, attribute: string, path: PathSegment[]): unknown;
  condition(name: string, path: PathSegment[]): boolean;
  mapping(map: string, topKey: string, secondKey: string, path: PathSegment[]): unknown;
  importValue(exportName: string, path: PathSegment[]): unknown;
}

type Resolver = (args: unknown, path: PathSegment[], scope: IntrinsicScope) => unknown;

function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0]!.startsWith("Fn::"));
}

/** Resolves every intrinsic in `value` (a property value, a policy document, …). */
export function resolveValue(value: unknown, path: PathSegment[], scope: IntrinsicScope): unknown {
  if (Array.isArray(value)) {
    return value
      .map((item, index) => resolveValue(item, [...path, index], scope))
      .filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== "object") return value;
  if (isIntrinsic(value)) {
    const [name, args] = Object.entries(value)[0]!;
    const resolver = RESOLVERS[name];
    if (resolver === undefined) throw new UnresolvedValue(path, `unsupported intrinsic ${name}`);
    return resolver(args, [...path, name], scope);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolveValue(item, [...path, key], scope);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

/** Resolves and requires a string (numbers and booleans become strings, as CloudFormation passes them). */
export function resolveString(value: unknown, path: PathSegment[], scope: IntrinsicScope): string {
  const resolved = resolveValue(value, path, scope);
  if (typeof resolved === "string") return resolved;
  if (typeof resolved === "number" || typeof resolved === "boolean") return String(resolved);
  throw new UnresolvedValue(path, `expected a string, got ${describe(resolved)}`);
}

function describe(value: unknown): string {
  if (value === NO_VALUE) return "AWS::NoValue";
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

function argumentList(args: unknown, count: number, name: string, path: PathSegment[]): unknown[] {
  if (!Array.isArray(args) || args.length < count) {
    throw new UnresolvedValue(path, `${name} takes a list of ${count} arguments`);
  }
  return args;
}

function resolveList(value: unknown, path: PathSegment[], scope: IntrinsicScope, name: string): unknown[] {
  const resolved = resolveValue(value, path, scope);
  if (!Array.isArray(resolved))
    throw new UnresolvedValue(path, `${name} needs a list here, got ${describe(resolved)}`);
  return resolved;
}

function ref(name: string, path: PathSegment[], scope: IntrinsicScope): unknown {
  if (name.startsWith("AWS::")) {
    const value = scope.pseudoParameter(name);
    if (value === undefined) throw new UnresolvedValue(path, `unknown pseudo parameter ${name}`);
    return value;
  }
  const parameter = scope.parameter(name, path);
  if (parameter !== undefined) return parameter;
  const resource = scope.resourceRef(name, path);
  if (resource !== undefined) return resource;
  throw new UnresolvedValue(
    path,
    `Ref to "${name}", which is neither a parameter nor a resource of this template`,
  );
}

function getAtt(args: unknown, path: PathSegment[], scope: IntrinsicScope): unknown {
  let logicalId: unknown;
  let attribute: unknown;
  if (typeof args === "string") {
    const dot = args.indexOf(".");
    [logicalId, attribute] = dot < 0 ? [args, ""] : [args.slice(0, dot), args.slice(dot + 1)];
  } else {
    const list = argumentList(args, 2, "Fn::GetAtt", path);
    logicalId = list[0];
    attribute = resolveValue(list[1], [...path, 1], scope);
  }
  if (typeof logicalId !== "string" || typeof attribute !== "string" || attribute === "") {
    throw new UnresolvedValue(path, "Fn::GetAtt takes [LogicalId, Attribute]");
  }
  return scope.attribute(logicalId, attribute, path);
}

/** `${Name}`, `${Res.Attr}`, `${!Literal}`; IAM policy variables must be written `${!aws:username}` in a Sub. */
function sub(args: unknown, path: PathSegment[], scope: IntrinsicScope): string {
  let text: unknown = args;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(args)) {
    text = args[0];
    const given = args[1];
    if (given !== undefined) {
      if (given === null || typeof given !== "object" || Array.isArray(given)) {
        throw new UnresolvedValue([...path, 1], "Fn::Sub's second argument is a mapping of variables");
      }
      variables = given as Record<string, unknown>;
    }
  }
  if (typeof text !== "string")
    throw new UnresolvedValue(path, "Fn::Sub takes a string or [string, variables]");
  const templatePath = Array.isArray(args) ? [...path, 0] : path;
  return text.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
    if (inner.startsWith("!")) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (Object.hasOwn(variables, name)) {
      return resolveString(variables[name], [...path, 1, name], scope);
    }
    if (!name.startsWith("AWS::") && name.includes(":")) {
      throw new UnresolvedValue(
        templatePath,
        `Fn::Sub reads \${${name}} as a CloudFormation variable; write \${!${name}} to keep the IAM policy variable`,
      );
    }
    const dot = name.indexOf(".");
    const value =
      dot > 0 && !name.startsWith("AWS::")
        ? scope.attribute(name.slice(0, dot), name.slice(dot + 1), templatePath)
        : ref(name, templatePath, scope);
    if (typeof value !== "string" && typeof value !== "number") {
      throw new UnresolvedValue(templatePath, `\${${name}} in Fn::Sub is ${describe(value)}, not a string`);
    }
    return String(value);
  });
}

/** Fn::Equals, Fn::Not, Fn::And, Fn::Or and `{Condition: Name}`, as the Conditions section and Fn::If use them. */
export function evaluateCondition(value: unknown, path: PathSegment[], scope: IntrinsicScope): boolean {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [name, args] = entries[0]!;
      const at = [...path, name];
      if (name === "Condition") {
        if (typeof args !== "string") throw new UnresolvedValue(at, "Condition names a condition");
        return scope.condition(args, at);
      }
      if (name === "Fn::Equals") {
        const [left, right] = argumentList(args, 2, name, at);
        return (
          JSON.stringify(resolveValue(left, [...at, 0], scope)) ===
          JSON.stringify(resolveValue(right, [...at, 1], scope))
        );
      }
      if (name === "Fn::Not")
        return !evaluateCondition(argumentList(args, 1, name, at)[0], [...at, 0], scope);
      if (name === "Fn::And" || name === "Fn::Or") {
        const results = argumentList(args, 1, name, at).map((item, index) =>
          evaluateCondition(item, [...at, index], scope),
        );
        return name === "Fn::And" ? results.every(Boolean) : results.some(Boolean);
      }
    }
  }
  const resolved = resolveValue(value, path, scope);
  if (resolved === true || resolved === "true") return true;
  if (resolved === false || resolved === "false") return false;
  throw new UnresolvedValue(path, `a condition must be true or false, got ${describe(resolved)}`);
}

const RESOLVERS: Record<string, Resolver> = {
  Ref: (args, path, scope) => {
    if (typeof args !== "string") throw new UnresolvedValue(path, "Ref takes a name");
    return ref(args, path, scope);
  },
  "Fn::GetAtt": getAtt,
  "Fn::Join": (args, path, scope) => {
    const [delimiter, list] = argumentList(args, 2, "Fn::Join", path);
    if (typeof delimiter !== "string")
      throw new UnresolvedValue([...path, 0], "Fn::Join's delimiter is a string");
    return resolveList(list, [...path, 1], scope, "Fn::Join")
      .map((item, index) => {
        if (typeof item === "string" || typeof item === "number" || typeof item === "boolean")
          return String(item);
        throw new UnresolvedValue(
          [...path, 1, index],
          `Fn::Join can join only strings, got ${describe(item)}`,
        );
      })
      .join(delimiter);
  },
  "Fn::Sub": sub,
  "Fn::Select": (args, path, scope) => {
    const [index, list] = argumentList(args, 2, "Fn::Select", path);
    const position = Number(resolveValue(index, [...path, 0], scope));
    const items = resolveList(list, [...path, 1], scope, "Fn::Select");
    if (!Number.isInteger(position) || position < 0 || position >= items.length) {
      throw new UnresolvedValue(
        path,
        `Fn::Select index ${String(index)} is outside a list of ${items.length}`,
      );
    }
    return items[position];
  },
  "Fn::Split": (args, path, scope) => {
    const [delimiter, source] = argumentList(args, 2, "Fn::Split", path);
    if (typeof delimiter !== "string")
      throw new UnresolvedValue([...path, 0], "Fn::Split's delimiter is a string");
    return resolveString(source, [...path, 1], scope).split(delimiter);
  },
  "Fn::If": (args, path, scope) => {
    const [name, whenTrue, whenFalse] = argumentList(args, 3, "Fn::If", path);
    if (typeof name !== "string") throw new UnresolvedValue([...path, 0], "Fn::If names a condition");
    return scope.condition(name, [...path, 0])
      ? resolveValue(whenTrue, [...path, 1], scope)
      : resolveValue(whenFalse, [...path, 2], scope);
  },
  "Fn::FindInMap": (args, path, scope) => {
    const [map, top, second] = argumentList(args, 3, "Fn::FindInMap", path).map((item, index) =>
      resolveString(item, [...path, index], scope),
    );
    return scope.mapping(map!, top!, second!, path);
  },
  "Fn::ImportValue": (args, path, scope) => scope.importValue(resolveString(args, path, scope), path),
  "Fn::Base64": (args, path, scope) => Buffer.from(resolveString(args, path, scope)).toString("base64"),
  "Fn::GetAZs": (args, path, scope) => {
    const given = resolveValue(args, path, scope);
    const region =
      typeof given === "string" && given !== "" ? given : String(scope.pseudoParameter("AWS::Region"));
    return ["a", "b", "c"].map((zone) => `${region}${zone}`);
  },
  "Fn::ToJsonString": (args, path, scope) => JSON.stringify(resolveValue(args, path, scope)),
  "Fn::Length": (args, path, scope) => resolveList(args, path, scope, "Fn::Length").length,
};
