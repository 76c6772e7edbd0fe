// The instances' run states as StartInstances/StopInstances leave them, kept in state.json so a restart keeps
// them. SSM asks here whether a target is running (a stopped instance is offline for Session Manager).

import type { SandboxRuntime } from "../../server/runtime.js";
import { isObject, ServiceRecord } from "../../state/service-record.js";
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

/** Only instances whose state an API call changed, by id; the world's state holds for the others. */
const CHANGES = new ServiceRecord<Record<string, StateChange>>("ec2", "changes", isObject, () => ({}));

function changeOf(runtime: SandboxRuntime, instance: Instance): StateChange | undefined {
  const change = CHANGES.read(runtime.state)[instance.id];
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
  CHANGES.write(runtime.state, {
    ...CHANGES.read(runtime.state),
    [instance.id]: { state, changedAt: new Date(runtime.clock()).toISOString(), reason },
  });
}

/**
 * Session Manager reaches an instance only while it runs, has a role for its agent to register with, and its
 * agent answers (a world may say it does not: `agentOnline: false`).
 */
export function isOnlineForSsm(runtime: SandboxRuntime, instance: Instance): boolean {
  if (instance.agentOnline === false) return false;
  return instance.role !== "" && instanceState(runtime, instance) === "running";
}
