// The principal whose policies SimulatePrincipalPolicy evaluates: an IAM user (with its groups' policies), a
// group or a role of the caller's account, found by PolicySourceArn; and how IAM names each policy in
// MatchedStatements (SourcePolicyId, SourcePolicyType).

import { splitArn } from "../../policy/arn.js";
import type { NamedPolicy, RequestPrincipal } from "../../policy/types.js";
import { AwsServiceError } from "../../protocol/errors.js";
import type { World } from "../../world/model.js";
import { rolePolicies, userPolicies } from "../world-lookup.js";

export interface PolicySource {
  arn: string;
  account: string;
  policies: NamedPolicy[];
}

function noSuchEntity(kind: string, name: string): AwsServiceError {
  return new AwsServiceError("NoSuchEntity", `The ${kind} with name ${name} cannot be found.`, 404);
}

/** The user, group or role PolicySourceArn names; IAM answers NoSuchEntity for one it does not know. */
export function findPolicySource(world: World, arn: string): PolicySource {
  const parts = splitArn(arn);
  if (parts?.[2] !== "iam")
    throw new AwsServiceError("InvalidInput", `Invalid ARN ${arn}: PolicySourceArn must be an IAM ARN.`, 400);
  const [, , , , account, resource] = parts as NonNullable<typeof parts>;
  const name = resource.slice(resource.lastIndexOf("/") + 1);
  if (resource.startsWith("user/")) {
    const user = world.users.find((u) => u.arn === arn);
    if (!user) throw noSuchEntity("user", name);
    return { arn, account, policies: userPolicies(world, user) };
  }
  if (resource.startsWith("role/")) {
    const role = world.roles.find((r) => r.arn === arn);
    if (!role) throw noSuchEntity("role", name);
    return { arn, account, policies: rolePolicies(world, role) };
  }
  if (resource.startsWith("group/")) {
    const group = world.groups.find((g) => g.arn === arn);
    if (!group) throw noSuchEntity("group", name);
    const holder = { ...emptyUser(account), groups: [group.name] };
    return { arn, account, policies: userPolicies(world, holder) };
  }
  throw new AwsServiceError("InvalidInput", `Invalid ARN ${arn}: not a user, group or role.`, 400);
}

/** A user with no policies of its own, so that `userPolicies` lists only the groups' policies. */
function emptyUser(account: string): Parameters<typeof userPolicies>[1] {
  return {
    name: "",
    account,
    path: "/",
    userId: "",
    arn: "",
    accessKeys: [],
    mfaDevices: [],
    tags: {},
    groups: [],
    inlinePolicies: {},
    managedPolicies: [],
  };
}

/** The ARNs a resource policy's Principal may name to match the simulated principal. */
export function simulatedPrincipal(arn: string, account: string): RequestPrincipal {
  return { arn, account, matchArns: [arn, `arn:aws:iam::${account}:root`, account] };
}

export type SourcePolicyType =
  | "user"
  | "group"
  | "role"
  | "aws-managed"
  | "user-managed"
  | "resource"
  | "none";

/** IAM's SourcePolicyId and SourcePolicyType for a policy of the engine's naming (see world-lookup.ts). */
export function policyLabel(name: string): { id: string; type: SourcePolicyType } {
  if (name === "ResourcePolicy") return { id: name, type: "resource" };
  if (name.startsWith("PolicyInputList.") || name.startsWith("PermissionsBoundaryPolicyInputList."))
    return { id: name, type: "none" };
  if (name.startsWith("arn:")) {
    const policyName = name.slice(name.lastIndexOf("/") + 1);
    return { id: policyName, type: name.startsWith("arn:aws:iam::aws:") ? "aws-managed" : "user-managed" };
  }
  const [kind = "", , ...rest] = name.split("/");
  const type = kind === "user" || kind === "group" || kind === "role" ? kind : "none";
  return { id: rest.join("/"), type };
}
