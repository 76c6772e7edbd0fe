// Resolves the world's IAM users: ARNs, unique ids, their groups, attached policies, access keys and MFA devices.

import { iamArn, uniqueIdFor } from "../ids.js";
import type { IamGroup, IamUser } from "../model.js";
import { DEFAULT_CREATED, type WorldFile } from "../schema.js";
import { resolveIdentities } from "./identity-sections.js";
import { type Path, unknownMessage } from "./issue-list.js";
import type { PolicyCatalog } from "./managed-policies.js";
import type { ResolveScope } from "./resolve-scope.js";
import { UserCredentials } from "./user-credentials.js";

type UserInput = WorldFile["users"][number];

function checkGroups(scope: ResolveScope, user: UserInput, path: Path, groups: IamGroup[]): void {
  user.groups.forEach((groupName, groupIndex) => {
    const found = groups.some((group) => group.account === user.account && group.name === groupName);
    if (!found) {
      const known = groups.filter((group) => group.account === user.account).map((group) => group.name);
      scope.issues.add(
        [...path, "groups", groupIndex],
        unknownMessage("group", groupName, known, ` in account ${user.account}`),
      );
    }
  });
}

export function resolveUsers(scope: ResolveScope, catalog: PolicyCatalog, groups: IamGroup[]): IamUser[] {
  const credentials = new UserCredentials(scope.issues);
  return resolveIdentities(scope, "users", "user", scope.file.users, (user, path, index) => {
    checkGroups(scope, user, path, groups);
    return {
      name: user.name,
      account: user.account,
      path: user.path,
      userId: uniqueIdFor("AIDA", user.account, user.name),
      arn: iamArn(user.account, "user", user.path, user.name),
      accessKeys: credentials.accessKeys(user, index),
      mfaDevices: credentials.mfaDevices(user, index),
      tags: user.tags,
      groups: user.groups,
      inlinePolicies: user.inlinePolicies,
      managedPolicies: catalog.attachable(user.managedPolicies, user.account, [...path, "managedPolicies"]),
      created: user.created ?? DEFAULT_CREATED,
    };
  });
}
