// Resolves the world's hybrid activations and the on-premises nodes registered through them: each activation's
// role must exist in its account and trust ssm.amazonaws.com (what CreateActivation checks), its nodes become
// `mi-…` instances with that role and the activation's tags under their own, and ids stay unique across
// activations and the instances section.

import { trustsSsm } from "../../services/hybrid/node-role.js";
import { activationIdFor, managedNodeIdFor } from "../ids.js";
import type { HybridActivation, IamRole, Instance } from "../model.js";
import { DEFAULT_CREATED, type WorldFile } from "../schema.js";
import { FirstClaims } from "./first-claims.js";
import { type Path, unknownMessage } from "./issue-list.js";
import type { ResolveScope } from "./resolve-scope.js";

const DAY_MS = 24 * 3600 * 1000;
/** Registered nodes report the address their agent came from; the world's start here unless they say. */
const FIRST_NODE_HOST = 10;

export interface ResolvedHybrid {
  activations: HybridActivation[];
  nodes: Instance[];
}

function checkRole(scope: ResolveScope, path: Path, account: string, name: string, roles: IamRole[]): void {
  const role = roles.find((r) => r.account === account && r.name === name);
  if (!role) {
    const known = roles.filter((r) => r.account === account).map((r) => r.name);
    scope.issues.add([...path, "iamRole"], unknownMessage("role", name, known, ` in account ${account}`));
    return;
  }
  if (!trustsSsm(role, Date.now())) {
    scope.issues.add(
      [...path, "iamRole"],
      `role "${name}" does not trust ssm.amazonaws.com: its trust policy must allow Service ssm.amazonaws.com sts:AssumeRole`,
    );
  }
}

type ActivationInput = WorldFile["hybridActivations"][number];
type NodeInput = ActivationInput["nodes"][number];

/** What the section's entries share while they are resolved: the ids and addresses claimed so far. */
class HybridSection {
  private readonly activationIds = new FirstClaims<number>();
  private readonly names = new FirstClaims<number>();
  private readonly nodeIds = new FirstClaims<string>();
  private readonly addresses = new FirstClaims<string>();
  /** Addresses the file gives are never handed out to a node that gives none. */
  private readonly given: Set<string>;
  private nextHost = FIRST_NODE_HOST;
  readonly nodes: Instance[] = [];

  constructor(
    private readonly scope: ResolveScope,
    private readonly roles: IamRole[],
    instances: Instance[],
  ) {
    const { file } = scope;
    for (const [index, instance] of instances.entries())
      this.nodeIds.claim(instance.id, `instances[${index}]`);
    this.given = new Set(
      file.hybridActivations.flatMap((a) =>
        a.nodes.flatMap((n) =>
          n.privateIp === undefined ? [] : [`${a.account}/${a.region ?? file.region}/${n.privateIp}`],
        ),
      ),
    );
  }

  activation(input: ActivationInput, index: number): HybridActivation {
    const { issues, file } = this.scope;
    const path: Path = ["hybridActivations", index];
    this.scope.accounts.check([...path, "account"], input.account);
    const region = input.region ?? file.region;
    const firstName = this.names.claim(`${input.account}/${region}/${input.name}`, index);
    if (firstName !== undefined) {
      issues.add(
        [...path, "name"],
        `duplicate activation name ${input.name} (also hybridActivations[${firstName}])`,
      );
    }
    const id = input.id ?? activationIdFor(input.account, region, input.name);
    const firstId = this.activationIds.claim(id, index);
    if (firstId !== undefined) {
      issues.add([...path, "id"], `duplicate activation id ${id} (also hybridActivations[${firstId}])`);
    }
    checkRole(this.scope, path, input.account, input.iamRole, this.roles);
    const created = input.created ?? DEFAULT_CREATED;
    const expirationDate = input.expirationDate ?? new Date(Date.parse(created) + DAY_MS).toISOString();
    if (Date.parse(expirationDate) <= Date.parse(created)) {
      issues.add(
        [...path, "expirationDate"],
        `the activation expires (${expirationDate}) before it is created (${created})`,
      );
    } else if (Date.parse(expirationDate) > Date.parse(created) + 30 * DAY_MS) {
      issues.add([...path, "expirationDate"], "an activation lasts at most 30 days after it is created");
    }
    const limit = input.registrationLimit ?? Math.max(1, input.nodes.length);
    if (input.nodes.length > limit) {
      issues.add(
        [...path, "registrationLimit"],
        `${input.nodes.length} nodes registered through an activation whose registrationLimit is ${limit}`,
      );
    }
    const activation: HybridActivation = {
      name: input.name,
      id,
      account: input.account,
      region,
      iamRole: input.iamRole,
      description: input.description,
      defaultInstanceName: input.defaultInstanceName,
      registrationLimit: limit,
      nodeIds: [],
      tags: input.tags,
      created: new Date(created).toISOString(),
      expirationDate: new Date(expirationDate).toISOString(),
    };
    input.nodes.forEach((node, nodeIndex) => {
      const instance = this.node(activation, node, [...path, "nodes", nodeIndex]);
      activation.nodeIds.push(instance.id);
      this.nodes.push(instance);
    });
    return activation;
  }

  private node(activation: HybridActivation, node: NodeInput, path: Path): Instance {
    const { issues } = this.scope;
    const where = `${path[0]}[${path[1]}].nodes[${path[3]}]`;
    const id = node.id ?? managedNodeIdFor(activation.id, node.name);
    const other = this.nodeIds.claim(id, where);
    if (other !== undefined) issues.add([...path, "id"], `duplicate instance id ${id} (also ${other})`);
    const registeredAt = node.registeredAt ?? activation.created;
    const at = Date.parse(registeredAt);
    if (at < Date.parse(activation.created) || at > Date.parse(activation.expirationDate)) {
      issues.add(
        [...path, "registeredAt"],
        `a node registers while its activation is valid (${activation.created} to ${activation.expirationDate})`,
      );
    }
    const ports = new Set<number>();
    node.ports.forEach((port, portIndex) => {
      if (ports.has(port.port))
        issues.add([...path, "ports", portIndex, "port"], `port ${port.port} is listed twice`);
      ports.add(port.port);
    });
    return {
      id,
      account: activation.account,
      region: activation.region,
      name: node.name,
      tags: { ...activation.tags, ...node.tags },
      state: "running",
      platform: node.platform,
      role: activation.iamRole,
      privateIp: this.address(activation, node, path, where),
      privateDnsName: node.name,
      ports: node.ports.map((port) =>
        port.target === undefined
          ? { port: port.port, service: port.service }
          : { port: port.port, service: port.service, target: port.target },
      ),
      reachableHosts: node.reachableHosts,
      ...(node.osUsers === undefined ? {} : { osUsers: node.osUsers }),
      ...(node.agentOnline ? {} : { agentOnline: false }),
      activationId: activation.id,
      registeredAt: new Date(registeredAt).toISOString(),
    };
  }

  private address(activation: HybridActivation, node: NodeInput, path: Path, where: string): string {
    const scope = `${activation.account}/${activation.region}`;
    if (node.privateIp === undefined) {
      while (this.given.has(`${scope}/192.168.10.${this.nextHost}`)) this.nextHost++;
      const privateIp = `192.168.10.${this.nextHost++}`;
      this.addresses.claim(`${scope}/${privateIp}`, where);
      return privateIp;
    }
    const owner = this.addresses.claim(`${scope}/${node.privateIp}`, where);
    if (owner !== undefined) {
      this.scope.issues.add(
        [...path, "privateIp"],
        `${node.privateIp} is already ${owner}'s address in ${scope}`,
      );
    }
    return node.privateIp;
  }
}

export function resolveHybridActivations(
  scope: ResolveScope,
  roles: IamRole[],
  instances: Instance[],
): ResolvedHybrid {
  const section = new HybridSection(scope, roles, instances);
  const activations = scope.file.hybridActivations.map((input, index) => section.activation(input, index));
  return { activations, nodes: section.nodes };
}
