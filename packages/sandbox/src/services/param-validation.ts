// Checks query parameters against their API constraints and gathers every failure into AWS's
// "N validation errors detected: Value … at 'field' failed to satisfy constraint: …" message.

import { validationError } from "../protocol/errors.js";
import type { QueryParams } from "../protocol/query.js";

export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** The pattern as AWS's message prints it. */
  patternText?: string;
  /** Allowed values (enum). */
  oneOf?: string[];
}

/** Field names in messages are the parameter names with a lower-case first letter, as AWS writes them. */
function fieldName(parameter: string): string {
  return parameter.charAt(0).toLowerCase() + parameter.slice(1);
}

export class ParamValidator {
  private readonly failures: string[] = [];
  constructor(private readonly params: QueryParams) {}

  fail(message: string): void {
    this.failures.push(message);
  }

  string(parameter: string, rule: StringRule): string | undefined {
    const value = this.params.get(parameter);
    const field = fieldName(parameter);
    if (value === undefined) {
      if (rule.required)
        this.fail(`Value null at '${field}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    const prefix = `Value '${value}' at '${field}' failed to satisfy constraint:`;
    const before = this.failures.length;
    if (rule.min !== undefined && [...value].length < rule.min) {
      this.fail(`${prefix} Member must have length greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && [...value].length > rule.max) {
      this.fail(`${prefix} Member must have length less than or equal to ${rule.max}`);
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      this.fail(
        `${prefix} Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
      );
    }
    if (rule.oneOf && !rule.oneOf.includes(value)) {
      this.fail(`${prefix} Member must satisfy enum value set: [${rule.oneOf.join(", ")}]`);
    }
    return this.failures.length === before ? value : undefined;
  }

  integer(parameter: string, rule: { min: number; max: number }): number | undefined {
    const raw = this.params.get(parameter);
    if (raw === undefined) return undefined;
    const field = fieldName(parameter);
    const prefix = `Value '${raw}' at '${field}' failed to satisfy constraint:`;
    if (!/^-?\d+$/.test(raw.trim())) {
      this.fail(`${prefix} Member must be an integer`);
      return undefined;
    }
    const value = Number(raw.trim());
    if (value < rule.min) {
      this.fail(`${prefix} Member must have value greater than or equal to ${rule.min}`);
      return undefined;
    }
    if (value > rule.max) {
      this.fail(`${prefix} Member must have value less than or equal to ${rule.max}`);
      return undefined;
    }
    return value;
  }

  /** Throws the gathered ValidationError, if any. */
  done(): void {
    if (this.failures.length > 0) throw validationError(this.failures);
  }
}

/** STS's name pattern: RoleSessionName, SourceIdentity, federated user Name. */
export const STS_NAME_PATTERN = { pattern: /^[\w+=,.@-]*$/, patternText: "[\\w+=,.@-]*" };
