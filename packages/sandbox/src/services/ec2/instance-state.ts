// The instances' run states as StartInstances/StopInstances leave them, kept in state.json so a restart keeps
// them. SSM asks here whether a target is running (a stopped instance is offline for Session Manager).

import type { SandboxRuntime } from "../../server/runtime.js";
import type { Instance } from "../../world/model.js";

export type InstanceRunState = Instance["state"];

/** EC2's state codes (the low byte of `instanceState.code`). */
export const STATE_CODES: Record<InstanceRunState, number> = {
  pending: 0,
  running: 16,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

interface StateChange {
  state: InstanceRunState;
  /** ISO-8601 time of the change. */
  changedAt: string;
  /** EC2's stateTransitionReason, e.g. "User initiated (2026-01-01 10:00:00 GMT)". */
  reason: string;
}

interface Ec2Record {
  version: 1;
  /** Only instances whose state an API call changed; the world's state holds for the others. */
  changes: Record<string, StateChange>;
}

const SERVICE = "ec2";

function record(runtime: SandboxRuntime): Ec2Record {
  const stored = runtime.state.serviceRecord(SERVICE) as Partial<Ec2Record> | undefined;
  if (stored?.version === 1 && stored.changes !== null && typeof stored.changes === "object") {
    return stored as Ec2Record;
  }
  return { version: 1, changes: {} };
}

function changeOf(runtime: SandboxRuntime, instance: Instance): StateChange | undefined {
  const change = record(runtime).changes[instance.id];
  return change && change.state in STATE_CODES ? change : undefined;
}

/** The instance's current state: the last change an API call made, else the world's. */
export function instanceState(runtime: SandboxRuntime, instance: Instance): InstanceRunState {
  return changeOf(runtime, instance)?.state ?? instance.state;
}

/** Why the instance is in its state (empty when it has not changed since the world began). */
export function stateTransitionReason(runtime: SandboxRuntime, instance: Instance): string {
  return changeOf(runtime, instance)?.reason ?? "";
}

/** When an API call last changed the instance's state (undefined when none has). */
export function stateChangedAt(runtime: SandboxRuntime, instance: Instance): string | undefined {
  return changeOf(runtime, instance)?.changedAt;
}

/** Records a new state and saves it before returning. */
export function setInstanceState(
  runtime: SandboxRuntime,
  instance: Instance,
  state: InstanceRunState,
  reason: string,
): void {
  const current = record(runtime);
  const changes = {
    ...current.changes,
    [instance.id]: { state, changedAt: new Date(runtime.clock()).toISOString(), reason },
  };
  runtime.state.setServiceRecord(SERVICE, { version: 1, changes } satisfies Ec2Record);
}

/** Session Manager reaches an instance only while it runs and has a role for its agent to register with. */
export function isOnlineForSsm(runtime: SandboxRuntime, instance: Instance): boolean {
  return instance.role !== "" && instanceState(runtime, instance) === "running";
}
