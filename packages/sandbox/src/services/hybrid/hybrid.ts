// Hybrid activations in the sandbox's SSM: the administrator's actions (SigV4, through the SSM service) and
// the agent's self-authenticating calls (target routes), plus what DescribeInstanceInformation adds for
// registered nodes.

import type { SandboxRuntime } from "../../server/runtime.js";
import type { JsonAction, TargetRoute } from "../../server/service-registry.js";
import type { Instance } from "../../world/model.js";
import { createActivation, deleteActivation, describeActivations } from "./activations-api.js";
import { agentRoutes } from "./agent-api.js";
import { managedNodes } from "./hybrid-records.js";
import { syncManagedNodes } from "./managed-node-world.js";
import {
  addTagsToResource,
  deregisterManagedInstance,
  listTagsForResource,
  removeTagsFromResource,
} from "./managed-nodes-api.js";

export const hybridActions: Record<string, JsonAction> = {
  CreateActivation: createActivation,
  DescribeActivations: describeActivations,
  DeleteActivation: deleteActivation,
  DeregisterManagedInstance: deregisterManagedInstance,
  AddTagsToResource: addTagsToResource,
  ListTagsForResource: listTagsForResource,
  RemoveTagsFromResource: removeTagsFromResource,
};

export function hybridTargetRoutes(): TargetRoute[] {
  return agentRoutes();
}

/** Puts the registered nodes state.json holds into the live world (at start). */
export function loadManagedNodes(runtime: SandboxRuntime): void {
  syncManagedNodes(runtime);
}

/** DescribeInstanceInformation's fields for a registered node: its activation, registration date and address. */
export function registeredNodeFields(runtime: SandboxRuntime, instance: Instance): Record<string, unknown> {
  const node = managedNodes(runtime)[instance.id];
  if (!node) {
    // A node the world file registers: its activation and registration time are the world's.
    if (instance.activationId === undefined) return {};
    return {
      ActivationId: instance.activationId,
      ...(instance.registeredAt === undefined
        ? {}
        : { RegistrationDate: Date.parse(instance.registeredAt) / 1000 }),
    };
  }
  return {
    ActivationId: node.activationId,
    RegistrationDate: Date.parse(node.registeredAt) / 1000,
    ...(node.lastTokenAt === undefined ? {} : { LastPingDateTime: Date.parse(node.lastTokenAt) / 1000 }),
  };
}

/** The activation a managed node registered through: its registration's, or the world file's. */
export function activationOf(runtime: SandboxRuntime, instance: Instance): string | undefined {
  return managedNodes(runtime)[instance.id]?.activationId ?? instance.activationId;
}
