// The SSM agents of a sandbox's world: one per instance that has a role (instances without one cannot
// register with SSM, so they have no agent).

import type { SandboxHost } from "../server/runtime.js";
import type { Instance } from "../world/model.js";
import { type AgentOptions, resolveAgentOptions } from "./agent-options.js";
import { InstanceAgent } from "./instance-agent.js";

export class AgentFleet {
  readonly #agents = new Map<string, InstanceAgent>();
  readonly #host: SandboxHost;
  readonly #stateDir: string;
  readonly #options: ReturnType<typeof resolveAgentOptions>;

  constructor(host: SandboxHost, stateDir: string, options: AgentOptions = {}) {
    this.#host = host;
    this.#stateDir = stateDir;
    this.#options = resolveAgentOptions(options);
    for (const instance of host.runtime.world.instances) this.#agentOf(instance);
  }

  #agentOf(instance: Instance): InstanceAgent | undefined {
    if (instance.role === "") return undefined;
    const existing = this.#agents.get(key(instance));
    if (existing) return existing;
    const agent = new InstanceAgent(instance, this.#host, this.#stateDir, this.#options);
    this.#agents.set(key(instance), agent);
    return agent;
  }

  /**
   * The agent of the instance `id` in the account and Region, if it has one. A node registered through a
   * hybrid activation joins the world while the sandbox runs, so its agent starts on first use.
   */
  agentFor(account: string, region: string, id: string): InstanceAgent | undefined {
    const known = this.#agents.get(`${account}/${region}/${id}`);
    if (known) return known;
    const instance = this.#host.runtime.world.instances.find(
      (i) => i.account === account && i.region === region && i.id === id,
    );
    return instance ? this.#agentOf(instance) : undefined;
  }
}

function key(instance: Instance): string {
  return `${instance.account}/${instance.region}/${instance.id}`;
}
