// Reads and checks the members of an AWS JSON 1.1 request (SSM, KMS): wrong JSON types are a
// SerializationException, constraint failures are gathered into one ValidationException as AWS words it
// ("2 validation errors detected: Value 'x' at 'target' failed to satisfy constraint: …").

import { AwsServiceError } from "../../protocol/errors.js";

export interface StringConstraint {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** The pattern as AWS prints it in the message; defaults to the RegExp source. */
  patternText?: string;
  /** Allowed values (enums). */
  oneOf?: readonly string[];
}

function serializationError(member: string, expected: string): AwsServiceError {
  return new AwsServiceError(
    "SerializationException",
    `Unexpected value type for '${member}': expected ${expected}.`,
    400,
  );
}

/** AWS names members in messages with a lower-case first letter ("numberOfBytes"). */
function memberPath(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export class JsonInput {
  private readonly failures: string[] = [];

  constructor(private readonly input: Record<string, unknown>) {}

  private present(name: string): unknown {
    const value = this.input[name];
    return value === null ? undefined : value;
  }

  private fail(value: unknown, name: string, constraint: string): void {
    const shown = value === undefined ? "null" : `'${String(value)}'`;
    this.failures.push(`Value ${shown} at '${memberPath(name)}' failed to satisfy constraint: ${constraint}`);
  }

  string(name: string, rule: StringConstraint = {}): string | undefined {
    const value = this.present(name);
    if (value === undefined) {
      if (rule.required) this.fail(undefined, name, "Member must not be null");
      return undefined;
    }
    if (typeof value !== "string") throw serializationError(name, "a string");
    if (rule.min !== undefined && value.length < rule.min) {
      this.fail(value, name, `Member must have length greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && value.length > rule.max) {
      this.fail(value, name, `Member must have length less than or equal to ${rule.max}`);
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      this.fail(
        value,
        name,
        `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
      );
    }
    if (rule.oneOf && !rule.oneOf.includes(value)) {
      this.fail(value, name, `Member must satisfy enum value set: [${rule.oneOf.join(", ")}]`);
    }
    return value;
  }

  integer(name: string, rule: { min?: number; max?: number } = {}): number | undefined {
    const value = this.present(name);
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value)) throw serializationError(name, "an integer");
    if (rule.min !== undefined && value < rule.min) {
      this.fail(value, name, `Member must have value greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && value > rule.max) {
      this.fail(value, name, `Member must have value less than or equal to ${rule.max}`);
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.present(name);
    if (value === undefined) return undefined;
    if (typeof value !== "boolean") throw serializationError(name, "a boolean");
    return value;
  }

  /** A base64 blob member, decoded. */
  blob(name: string, rule: { required?: boolean; min?: number; max?: number } = {}): Buffer | undefined {
    const value = this.present(name);
    if (value === undefined) {
      if (rule.required) this.fail(undefined, name, "Member must not be null");
      return undefined;
    }
    if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
      throw serializationError(name, "a base64-encoded blob");
    }
    const bytes = Buffer.from(value, "base64");
    if (rule.min !== undefined && bytes.length < rule.min) {
      this.fail("[blob]", name, `Member must have length greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && bytes.length > rule.max) {
      this.fail("[blob]", name, `Member must have length less than or equal to ${rule.max}`);
    }
    return bytes;
  }

  /** A map of strings to strings (KMS EncryptionContext). */
  stringMap(name: string): Record<string, string> | undefined {
    const value = this.present(name);
    if (value === undefined) return undefined;
    if (!isRecord(value)) throw serializationError(name, "a map of strings");
    const out: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item !== "string") throw serializationError(`${name}.${key}`, "a string");
      out[key] = item;
    }
    return out;
  }

  /** A map of strings to lists of strings (SSM Parameters). */
  stringListMap(name: string): Record<string, string[]> | undefined {
    const value = this.present(name);
    if (value === undefined) return undefined;
    if (!isRecord(value)) throw serializationError(name, "a map of string lists");
    const out: Record<string, string[]> = {};
    for (const [key, list] of Object.entries(value)) {
      if (!Array.isArray(list) || list.some((item) => typeof item !== "string")) {
        throw serializationError(`${name}.${key}`, "a list of strings");
      }
      out[key] = list as string[];
    }
    return out;
  }

  /** A list of structures (SSM Filters); each item is handed back as a plain record. */
  structList(name: string): Record<string, unknown>[] | undefined {
    const value = this.present(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every(isRecord))
      throw serializationError(name, "a list of structures");
    return value;
  }

  /** Throws the gathered ValidationException, if any. */
  done(): void {
    const count = this.failures.length;
    if (count === 0) return;
    const noun = count === 1 ? "validation error" : "validation errors";
    throw new AwsServiceError(
      "ValidationException",
      `${count} ${noun} detected: ${this.failures.join("; ")}`,
      400,
    );
  }
}
