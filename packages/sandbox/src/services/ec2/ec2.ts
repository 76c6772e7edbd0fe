// The EC2 service (query protocol, API version 2016-11-15): DescribeInstances with filters, StartInstances
// and StopInstances authorized per instance, state changes kept in state.json.

import { AwsServiceError } from "../../protocol/errors.js";
import type { QueryParams } from "../../protocol/query.js";
import type { XmlObject } from "../../protocol/xml.js";
import type { ServiceCall } from "../../server/runtime.js";
import type { QueryServiceDefinition } from "../../server/service-registry.js";
import type { Instance } from "../../world/model.js";
import { authorizeEc2Everywhere, authorizeOnInstance } from "./ec2-authorize.js";
import { EC2_API_VERSION, EC2_XMLNS, ec2XmlDialect } from "./ec2-xml.js";
import { reservationXml, stateXml } from "./instance-description.js";
import { matchesFilters, readFilters, readInstanceIds } from "./instance-filters.js";
import { findInstance, instancesIn, isManagedNode } from "./instance-resource.js";
import {
  type InstanceRunState,
  instanceState,
  setInstanceState,
  stateTransitionReason,
} from "./instance-state.js";

const EC2_INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;

function dryRunRequested(params: QueryParams): boolean {
  return params.get("DryRun")?.toLowerCase() === "true";
}

function dryRunSucceeded(): AwsServiceError {
  return new AwsServiceError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
}

/** Looks the ids up in the caller's account and region; malformed or unknown ids fail the whole request. */
function requestedInstances(call: ServiceCall, ids: string[]): Instance[] {
  for (const id of ids) {
    if (!EC2_INSTANCE_ID.test(id)) {
      throw new AwsServiceError("InvalidInstanceID.Malformed", `Invalid id: "${id}"`, 400);
    }
  }
  const found: Instance[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const instance = findInstance(call.runtime.world, call.caller.account, call.region, id);
    if (instance) found.push(instance);
    else missing.push(id);
  }
  if (missing.length === 1) {
    throw new AwsServiceError(
      "InvalidInstanceID.NotFound",
      `The instance ID '${missing[0]}' does not exist`,
      400,
    );
  }
  if (missing.length > 1) {
    throw new AwsServiceError(
      "InvalidInstanceID.NotFound",
      `The instance IDs '${missing.join(", ")}' do not exist`,
      400,
    );
  }
  return found;
}

function describeInstances(call: ServiceCall, params: QueryParams): XmlObject {
  authorizeEc2Everywhere(call, "ec2:DescribeInstances");
  const ids = readInstanceIds(params);
  const filters = readFilters(params);
  if (dryRunRequested(params)) throw dryRunSucceeded();
  const { runtime } = call;
  const candidates =
    ids.length > 0
      ? requestedInstances(call, ids)
      : instancesIn(runtime.world, call.caller.account, call.region).filter((i) => !isManagedNode(i.id));
  const reservations = candidates
    .map((instance) => ({
      instance,
      state: instanceState(runtime, instance),
      stateReason: stateTransitionReason(runtime, instance),
    }))
    .filter((subject) => matchesFilters(filters, subject))
    .map(reservationXml);
  return { reservationSet: reservations };
}

/** "User initiated (2026-01-02 03:04:05 GMT)", as EC2 words a state change an API call made. */
function userInitiated(now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, "");
  return `User initiated (${stamp} GMT)`;
}

interface Transition {
  verb: "started" | "stopped";
  /** State reported while the change is under way, and the state it settles in. */
  from: Partial<Record<InstanceRunState, { reported: InstanceRunState; settled: InstanceRunState }>>;
}

/**
 * A Start or Stop from the states it accepts: an instance already in the settled state reports it as is;
 * any other reports the transitional state while it settles.
 */
function transition(
  verb: Transition["verb"],
  accepted: InstanceRunState[],
  moving: InstanceRunState,
  settled: InstanceRunState,
): Transition {
  return {
    verb,
    from: Object.fromEntries(
      accepted.map((state) => [state, { reported: state === settled ? settled : moving, settled }]),
    ),
  };
}

const START = transition("started", ["stopped", "pending", "running"], "pending", "running");
const STOP = transition("stopped", ["running", "pending", "stopping", "stopped"], "stopping", "stopped");

/**
 * Start/Stop: every instance must exist and be allowed before any changes. The answer reports the
 * transitional state EC2 reports (pending, stopping); the sandbox settles at once, so the next
 * DescribeInstances (and SSM) already sees running or stopped.
 */
function changeStates(action: string, transition: Transition) {
  return (call: ServiceCall, params: QueryParams): XmlObject => {
    const ids = readInstanceIds(params);
    if (ids.length === 0) {
      throw new AwsServiceError("MissingParameter", "The request must contain the parameter InstanceId", 400);
    }
    const instances = requestedInstances(call, ids);
    for (const instance of instances) authorizeOnInstance(call, action, instance);
    const { runtime } = call;
    const plans = instances.map((instance) => {
      const previous = instanceState(runtime, instance);
      const step = transition.from[previous];
      if (!step) {
        throw new AwsServiceError(
          "IncorrectInstanceState",
          `The instance '${instance.id}' is not in a state from which it can be ${transition.verb}.`,
          400,
        );
      }
      return { instance, previous, step };
    });
    if (dryRunRequested(params)) throw dryRunSucceeded();
    const reason = userInitiated(call.now);
    const changed = plans.map(({ instance, previous, step }) => {
      if (step.settled !== previous) setInstanceState(runtime, instance, step.settled, reason);
      return {
        instanceId: instance.id,
        currentState: stateXml(step.reported),
        previousState: stateXml(previous),
      };
    });
    return { instancesSet: changed };
  };
}

export const ec2Service: QueryServiceDefinition = {
  signingName: "ec2",
  protocol: "query",
  shape: { xmlns: EC2_XMLNS, version: EC2_API_VERSION },
  xmlDialect: ec2XmlDialect,
  actions: {
    DescribeInstances: describeInstances,
    StartInstances: changeStates("ec2:StartInstances", START),
    StopInstances: changeStates("ec2:StopInstances", STOP),
  },
};
