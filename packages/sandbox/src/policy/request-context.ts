// Looks up request-context keys case-insensitively, as IAM does for condition keys and policy variables.

import type { RequestContextValues } from "./types.js";

export type ContextValue = string | string[];

export class ContextLookup {
  private readonly values = new Map<string, ContextValue>();

  constructor(context: RequestContextValues) {
    for (const [key, value] of Object.entries(context)) {
      this.values.set(key.toLowerCase(), value);
    }
  }

  /** The key's value, or undefined when the request does not carry the key at all. */
  get(key: string): ContextValue | undefined {
    return this.values.get(key.toLowerCase());
  }
}
