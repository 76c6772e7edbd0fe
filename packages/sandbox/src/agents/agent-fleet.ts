// The SSM agents of a sandbox's world: one per instance that has a role (instances without one cannot
// register with SSM, so they have no agent).

import type { SandboxHost } from "../server/runtime.js";
import type { Instance } from "../world/model.js";
import { type AgentOptions, resolveAgentOptions } from "./agent-options.js";
import { InstanceAgent } from "./instance-agent.js";

export class AgentFleet {
  readonly #agents = new Map<string, InstanceAgent>();

  constructor(host: SandboxHost, stateDir: string, options: AgentOptions = {}) {
    const resolved = resolveAgentOptions(options);
    for (const instance of host.runtime.world.instances) {
      if (instance.role === "") continue;
      this.#agents.set(key(instance), new InstanceAgent(instance, host, stateDir, resolved));
    }
  }

  /** The agent of the instance `id` in the account and Region, if it has one. */
  agentFor(account: string, region: string, id: string): InstanceAgent | undefined {
    return this.#agents.get(`${account}/${region}/${id}`);
  }
}

function key(instance: Instance): string {
  return `${instance.account}/${instance.region}/${instance.id}`;
}
