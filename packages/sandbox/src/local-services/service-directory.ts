// Lets an SSM agent's port plugin find the local services of the sandbox its instance belongs to. A
// plugin sees only its session and instance, so running sandboxes publish their services under their
// world's instance objects (the very objects the agents hold) and withdraw them on close. An instance that
// joins the world later (a registered `mi-…` node) is published, and its ports started, by joinWorld.

import type { Instance, World } from "../world/model.js";
import type { LocalServices } from "./local-services.js";

/** Per instance object, the services of every running sandbox that serves it, latest last. */
const published = new WeakMap<Instance, LocalServices[]>();
/** Per world, the services of the running sandboxes started from it, latest last. */
const byWorld = new WeakMap<World, LocalServices[]>();

function publish(instance: Instance, services: LocalServices, into: Set<Instance>): void {
  const list = published.get(instance) ?? [];
  if (!list.includes(services)) list.push(services);
  published.set(instance, list);
  into.add(instance);
}

/** Publishes `services` for the instances of `world` (and those joining it later); returns the withdrawal. */
export function publishLocalServices(world: World, services: LocalServices): () => void {
  const instances = new Set<Instance>();
  for (const instance of world.instances) publish(instance, services, instances);
  const sandboxes = byWorld.get(world) ?? [];
  sandboxes.push(services);
  byWorld.set(world, sandboxes);
  joined.set(services, instances);
  return () => {
    sandboxes.splice(sandboxes.lastIndexOf(services), 1);
    for (const instance of instances) {
      const list = published.get(instance);
      const index = list?.lastIndexOf(services) ?? -1;
      if (index >= 0) list!.splice(index, 1);
    }
  };
}

/** The instance objects each services object was published under, for its withdrawal. */
const joined = new WeakMap<LocalServices, Set<Instance>>();

/**
 * An instance object that joined `world` while its sandbox runs (a node registration, or a resync that
 * rebuilt the node's object): published for the sandbox's services, which start its ports (once per id).
 */
export function joinWorld(world: World, instance: Instance): void {
  const sandboxes = byWorld.get(world) ?? [];
  const services = sandboxes[sandboxes.length - 1];
  if (services === undefined) return;
  publish(instance, services, joined.get(services)!);
  void services.attach(instance);
}

/**
 * The local services serving `instance`. Two sandboxes started from one World object share instance
 * objects; the one started last answers (both serve the same world's ports).
 */
export function localServicesFor(instance: Instance): LocalServices | undefined {
  const list = published.get(instance);
  return list?.[list.length - 1];
}
