// What every resource reader shares: the stack, the world draft, the findings, and property access that
// resolves intrinsics and records what cannot be resolved as an error (IAM decisions need it) or a note.

import type { PathSegment } from "../issues.js";
import type { Findings } from "./findings.js";
import { NO_VALUE, UnresolvedValue } from "./intrinsics.js";
import type { StackModel } from "./stack-model.js";
import type { Origin, WorldDraft } from "./world-draft.js";

export type Severity = "error" | "note";

/** Work that needs every template's entities first (attachments, aliases, memberships). */
export type Deferred = () => void;

export class ReadContext {
  constructor(
    readonly model: StackModel,
    readonly draft: WorldDraft,
    readonly findings: Findings,
    /** Instance profile name (account/name) → role name, filled by the IAM reader, read by instances. */
    readonly instanceProfiles: Map<string, string>,
    readonly deferred: Deferred[],
  ) {}

  get label(): string {
    return this.model.label;
  }

  get account(): string {
    return this.model.account;
  }

  origin(logicalId: string): Origin {
    return { template: this.label, path: ["Resources", logicalId] };
  }

  propertyPath(logicalId: string, name: string): PathSegment[] {
    return ["Resources", logicalId, "Properties", name];
  }

  has(logicalId: string, name: string): boolean {
    return this.model.template.body.Resources[logicalId]?.Properties?.[name] !== undefined;
  }

  report(severity: Severity, path: PathSegment[], message: string): void {
    if (severity === "error") this.findings.error(this.label, path, message);
    else this.findings.note(this.label, path, message);
  }

  /** Runs `compute`; an UnresolvedValue becomes a finding and `undefined`. */
  attempt<T>(severity: Severity, compute: () => T, consequence = ""): T | undefined {
    try {
      return compute();
    } catch (error) {
      if (!(error instanceof UnresolvedValue)) throw error;
      this.report(
        severity,
        error.path,
        consequence === "" ? error.message : `${error.message} (${consequence})`,
      );
      return undefined;
    }
  }

  /** A resolved property, or undefined when absent, AWS::NoValue, or unresolvable (then recorded). */
  property(logicalId: string, name: string, severity: Severity, consequence = ""): unknown {
    const raw = this.model.template.body.Resources[logicalId]?.Properties?.[name];
    if (raw === undefined) return undefined;
    const value = this.attempt(
      severity,
      () => this.model.resolve(raw, this.propertyPath(logicalId, name)),
      consequence,
    );
    return value === NO_VALUE ? undefined : value;
  }

  /** A resolved string property (numbers and booleans as text); another type is recorded and left out. */
  stringProperty(logicalId: string, name: string, severity: Severity, consequence = ""): string | undefined {
    const value = this.property(logicalId, name, severity, consequence);
    if (value === undefined || typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    this.report(severity, this.propertyPath(logicalId, name), "expected a string");
    return undefined;
  }

  /** A list of strings (names, ARNs); wrong items are recorded and left out. */
  stringList(logicalId: string, name: string, severity: Severity): string[] {
    const value = this.property(logicalId, name, severity);
    if (value === undefined) return [];
    const path = this.propertyPath(logicalId, name);
    if (!Array.isArray(value)) {
      this.report(severity, path, "expected a list");
      return [];
    }
    return value.flatMap((item, index) => {
      if (typeof item === "string") return [item];
      this.report(severity, [...path, index], "expected a string");
      return [];
    });
  }

  /** CloudFormation's `Tags: [{Key, Value}]` as a record. */
  tags(logicalId: string, severity: Severity): Record<string, string> {
    const value = this.property(logicalId, "Tags", severity);
    const tags: Record<string, string> = {};
    if (value === undefined) return tags;
    const path = this.propertyPath(logicalId, "Tags");
    if (!Array.isArray(value)) {
      this.report(severity, path, "expected a list of {Key, Value}");
      return tags;
    }
    value.forEach((tag, index) => {
      const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
      if (typeof Key !== "string" || (typeof Value !== "string" && typeof Value !== "number")) {
        this.report(severity, [...path, index], "a tag is {Key: string, Value: string}");
      } else tags[Key] = String(Value);
    });
    return tags;
  }

  /** A policy document property (an object, or JSON text as some templates carry it). */
  policyDocument(logicalId: string, name: string, severity: Severity): unknown {
    const value = this.property(logicalId, name, severity);
    return parsePolicyText(value, (message) =>
      this.report(severity, this.propertyPath(logicalId, name), message),
    );
  }
}

export function parsePolicyText(value: unknown, report: (message: string) => void): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    report("a policy document given as text must be JSON");
    return undefined;
  }
}
