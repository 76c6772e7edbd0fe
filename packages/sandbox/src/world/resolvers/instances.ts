// Resolves the world's instances: unique ids, Name tags, the instance role, private addresses and DNS names,
// and the ports they expose.

import { privateDnsNameFor } from "../ids.js";
import type { IamRole, Instance } from "../model.js";
import type { WorldFile } from "../schema.js";
import { FirstClaims } from "./first-claims.js";
import { type Path, unknownMessage } from "./issue-list.js";
import { PrivateIps } from "./private-ips.js";
import type { ResolveScope } from "./resolve-scope.js";

type InstanceInput = WorldFile["instances"][number];

function checkNameAndRole(scope: ResolveScope, instance: InstanceInput, path: Path, roles: IamRole[]): void {
  const nameTag = instance.tags.Name;
  if (nameTag !== undefined && nameTag !== instance.name) {
    scope.issues.add(
      [...path, "tags", "Name"],
      `the Name tag "${nameTag}" differs from name "${instance.name}"; give one of them`,
    );
  }
  if (
    instance.role !== "" &&
    !roles.some((role) => role.account === instance.account && role.name === instance.role)
  ) {
    const known = roles.filter((role) => role.account === instance.account).map((role) => role.name);
    scope.issues.add(
      [...path, "role"],
      unknownMessage("role", instance.role, known, ` in account ${instance.account}`),
    );
  }
}

function checkPorts(scope: ResolveScope, instance: InstanceInput, path: Path): void {
  const ports = new Set<number>();
  instance.ports.forEach((port, portIndex) => {
    if (ports.has(port.port))
      scope.issues.add([...path, "ports", portIndex, "port"], `port ${port.port} is listed twice`);
    ports.add(port.port);
  });
}

export function resolveInstances(scope: ResolveScope, roles: IamRole[]): Instance[] {
  const { file, issues } = scope;
  const ids = new FirstClaims<number>();
  const addresses = new PrivateIps(file, issues);
  return file.instances.map((instance, index) => {
    const path: Path = ["instances", index];
    scope.accounts.check([...path, "account"], instance.account);
    const region = instance.region ?? file.region;
    const first = ids.claim(instance.id, index);
    if (first !== undefined)
      issues.add([...path, "id"], `duplicate instance id ${instance.id} (also instances[${first}])`);
    checkNameAndRole(scope, instance, path, roles);
    const privateIp = addresses.assign(instance, index, region);
    checkPorts(scope, instance, path);
    return {
      id: instance.id,
      account: instance.account,
      region,
      name: instance.name,
      tags: { Name: instance.name, ...instance.tags },
      state: instance.state,
      platform: instance.platform,
      role: instance.role,
      privateIp,
      privateDnsName: instance.privateDnsName ?? privateDnsNameFor(privateIp, region),
      ports: instance.ports.map((port) =>
        port.target === undefined
          ? { port: port.port, service: port.service }
          : { port: port.port, service: port.service, target: port.target },
      ),
      reachableHosts: instance.reachableHosts,
      ...(instance.osUsers === undefined ? {} : { osUsers: instance.osUsers }),
      ...(instance.agentOnline ? {} : { agentOnline: false }),
    };
  });
}
