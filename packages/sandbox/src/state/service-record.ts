// One service's own part of state.json (EC2's state changes, KMS's key material, SSM's sessions): a
// versioned record `{ version: 1, <field>: value }` that is read back only while it still has that shape.

import type { SandboxState } from "./sandbox-state.js";

export class ServiceRecord<Value> {
  constructor(
    private readonly service: string,
    private readonly field: string,
    /** Whether what is stored under `field` is still a Value (a hand-edited or older state.json may differ). */
    private readonly holdsValue: (stored: unknown) => boolean,
    private readonly empty: () => Value,
  ) {}

  /** The stored value, or an empty one when the service never stored one or it has another shape. */
  read(state: SandboxState): Value {
    const stored = state.serviceRecord(this.service) as Record<string, unknown> | undefined;
    if (stored?.version === 1 && this.holdsValue(stored[this.field])) return stored[this.field] as Value;
    return this.empty();
  }

  /** Replaces the stored value; saved to state.json before it returns. */
  write(state: SandboxState, value: Value): void {
    state.setServiceRecord(this.service, { version: 1, [this.field]: value });
  }
}

/** A holdsValue for records kept as an object keyed by id. */
export function isObject(stored: unknown): boolean {
  return stored !== null && typeof stored === "object";
}
