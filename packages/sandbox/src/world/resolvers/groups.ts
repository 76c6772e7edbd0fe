// Resolves the world's IAM groups: ARNs, unique ids, attached policies.

import { iamArn, uniqueIdFor } from "../ids.js";
import type { IamGroup } from "../model.js";
import { DEFAULT_CREATED } from "../schema.js";
import { IamNames } from "./iam-names.js";
import { checkIdentity } from "./identity-checks.js";
import type { Path } from "./issue-list.js";
import type { PolicyCatalog } from "./managed-policies.js";
import type { ResolveScope } from "./resolve-scope.js";

export function resolveGroups(scope: ResolveScope, catalog: PolicyCatalog): IamGroup[] {
  const names = new IamNames("group", scope.issues);
  return scope.file.groups.map((group, index) => {
    const path: Path = ["groups", index];
    checkIdentity(scope, names, path, group);
    return {
      name: group.name,
      account: group.account,
      arn: iamArn(group.account, "group", group.path, group.name),
      inlinePolicies: group.inlinePolicies,
      managedPolicies: catalog.attachable(group.managedPolicies, group.account, [...path, "managedPolicies"]),
      path: group.path,
      groupId: uniqueIdFor("AGPA", group.account, group.name),
      created: group.created ?? DEFAULT_CREATED,
    };
  });
}
