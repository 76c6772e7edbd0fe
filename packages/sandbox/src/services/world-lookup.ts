// Finds users, roles and policies in the world, and lists the policies that apply to a user or a role.

import type { NamedPolicy, PolicyDocument } from "../policy/types.js";
import type { IamRole, IamUser, World } from "../world/model.js";

export function findUser(world: World, account: string, name: string): IamUser | undefined {
  return world.users.find((u) => u.account === account && u.name === name);
}

export function findRoleByArn(world: World, arn: string): IamRole | undefined {
  return world.roles.find((r) => r.arn === arn);
}

function managedPolicy(world: World, arn: string): NamedPolicy | undefined {
  const found = world.managedPolicies.find((p) => p.arn === arn);
  return found ? { name: found.arn, document: found.document } : undefined;
}

function inline(owner: string, policies: Record<string, PolicyDocument>): NamedPolicy[] {
  return Object.entries(policies).map(([name, document]) => ({ name: `${owner}/${name}`, document }));
}

function managed(world: World, arns: string[]): NamedPolicy[] {
  return arns.flatMap((arn) => managedPolicy(world, arn) ?? []);
}

/** A user's identity policies: inline, attached managed, and those of every group the user is in. */
export function userPolicies(world: World, user: IamUser): NamedPolicy[] {
  const out = [...inline(`user/${user.name}`, user.inlinePolicies), ...managed(world, user.managedPolicies)];
  for (const groupName of user.groups) {
    const group = world.groups.find((g) => g.account === user.account && g.name === groupName);
    if (!group) continue;
    out.push(
      ...inline(`group/${group.name}`, group.inlinePolicies),
      ...managed(world, group.managedPolicies),
    );
  }
  return out;
}

/** A role's permission policies: inline and attached managed. */
export function rolePolicies(world: World, role: IamRole): NamedPolicy[] {
  return [...inline(`role/${role.name}`, role.inlinePolicies), ...managed(world, role.managedPolicies)];
}
