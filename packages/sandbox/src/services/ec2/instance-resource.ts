// Finds a world instance as EC2 and SSM see it (by account, region and id) and names it the way IAM does:
// its ARN and the resource-tag condition keys a policy may test.

import type { RequestContextValues } from "../../policy/types.js";
import type { Instance, World } from "../../world/model.js";

/** The instance with this id in the caller's account and region; other accounts' and regions' are invisible. */
export function findInstance(
  world: World,
  account: string,
  region: string,
  id: string,
): Instance | undefined {
  return world.instances.find((i) => i.id === id && i.account === account && i.region === region);
}

/** Instances of one account and region, in world order. */
export function instancesIn(world: World, account: string, region: string): Instance[] {
  return world.instances.filter((i) => i.account === account && i.region === region);
}

/** Hybrid-activated nodes are SSM resources; EC2 instances are EC2 resources. */
export function isManagedNode(id: string): boolean {
  return id.startsWith("mi-");
}

/** `arn:aws:ec2:R:A:instance/i-…`, or `arn:aws:ssm:R:A:managed-instance/mi-…` for a hybrid node. */
export function instanceArn(region: string, account: string, id: string): string {
  return isManagedNode(id)
    ? `arn:aws:ssm:${region}:${account}:managed-instance/${id}`
    : `arn:aws:ec2:${region}:${account}:instance/${id}`;
}

/**
 * `aws:ResourceTag/K` plus each service's own spelling (`ec2:ResourceTag/K`, `ssm:resourceTag/K`) for every
 * tag, so a policy written with any of them sees the same values.
 */
export function resourceTagContext(
  tags: Record<string, string>,
  servicePrefixes: readonly string[],
): RequestContextValues {
  const context: RequestContextValues = {};
  for (const [key, value] of Object.entries(tags)) {
    context[`aws:ResourceTag/${key}`] = value;
    for (const prefix of servicePrefixes) context[`${prefix}/${key}`] = value;
  }
  return context;
}
