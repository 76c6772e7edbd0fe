// Lets an SSM agent's port plugin find the local services of the sandbox its instance belongs to. A
// plugin sees only its session and instance, so running sandboxes publish their services under their
// world's instance objects (the very objects the agents hold) and withdraw them on close.

import type { Instance, World } from "../world/model.js";
import type { LocalServices } from "./local-services.js";

/** Per instance object, the services of every running sandbox that serves it, latest last. */
const published = new WeakMap<Instance, LocalServices[]>();

/** Publishes `services` for the instances of `world`; returns the withdrawal. */
export function publishLocalServices(world: World, services: LocalServices): () => void {
  for (const instance of world.instances) {
    const list = published.get(instance) ?? [];
    list.push(services);
    published.set(instance, list);
  }
  return () => {
    for (const instance of world.instances) {
      const list = published.get(instance);
      if (list === undefined) continue;
      const index = list.lastIndexOf(services);
      if (index >= 0) list.splice(index, 1);
    }
  };
}

/**
 * The local services serving `instance`. Two sandboxes started from one World object share instance
 * objects; the one started last answers (both serve the same world's ports).
 */
export function localServicesFor(instance: Instance): LocalServices | undefined {
  const list = published.get(instance);
  return list?.[list.length - 1];
}
