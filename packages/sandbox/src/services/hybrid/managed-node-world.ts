// Registered managed nodes join the live world's instances, so every part that looks a target up there
// (DescribeInstanceInformation, StartSession, the message gateway and its agents, GetConnectionStatus) sees
// them as it sees a declared `mi-…` node. Called at start and after each registration, deregistration,
// tag change or fingerprint verdict; state.json stays the source, the world in memory follows it.

import { joinWorld } from "../../local-services/service-directory.js";
import type { SandboxRuntime } from "../../server/runtime.js";
import type { Instance, World } from "../../world/model.js";
import { type ManagedNodeRecord, managedNodes, worldNodeTags } from "./hybrid-records.js";
import { DEFAULT_NODE_PORTS } from "./node-ports.js";

/** The ids this module put into each world, so a resync replaces exactly those. */
const added = new WeakMap<World, Set<string>>();
/** The tags each declared node had in the world file, before AddTagsToResource changed them. */
const declaredTags = new WeakMap<Instance, Record<string, string>>();

function instanceOf(node: ManagedNodeRecord): Instance {
  return {
    id: node.id,
    account: node.account,
    region: node.region,
    name: node.name,
    tags: { ...node.tags },
    // A hibernating agent no longer pings: Session Manager sees the node as offline.
    state: node.fingerprintMismatchAt === undefined ? "running" : "stopped",
    platform: "Linux",
    role: node.iamRole,
    privateIp: node.sourceIp,
    privateDnsName: node.name,
    ports: (node.ports ?? DEFAULT_NODE_PORTS).map((port) => ({ ...port })),
    reachableHosts: [],
  };
}

export function syncManagedNodes(runtime: SandboxRuntime): void {
  const { world } = runtime;
  const previous = added.get(world) ?? new Set<string>();
  for (let i = world.instances.length - 1; i >= 0; i--) {
    if (previous.has(world.instances[i]!.id)) world.instances.splice(i, 1);
  }
  const tagged = worldNodeTags(runtime);
  for (const instance of world.instances) {
    if (!declaredTags.has(instance)) declaredTags.set(instance, { ...instance.tags });
    instance.tags = { ...(tagged[instance.id] ?? declaredTags.get(instance)) };
  }
  const now = new Set<string>();
  for (const node of Object.values(managedNodes(runtime))) {
    const instance = instanceOf(node);
    world.instances.push(instance);
    joinWorld(world, instance);
    now.add(node.id);
  }
  added.set(world, now);
}

/** Whether the world file declares this node (rather than a registration adding it). */
export function isDeclaredNode(runtime: SandboxRuntime, id: string): boolean {
  return !(added.get(runtime.world)?.has(id) ?? false) && runtime.world.instances.some((i) => i.id === id);
}
