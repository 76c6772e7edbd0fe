// Resolves the world's IAM groups: ARNs, unique ids, attached policies.

import { iamArn, uniqueIdFor } from "../ids.js";
import type { IamGroup } from "../model.js";
import { DEFAULT_CREATED } from "../schema.js";
import { resolveIdentities } from "./identity-sections.js";
import type { PolicyCatalog } from "./managed-policies.js";
import type { ResolveScope } from "./resolve-scope.js";

export function resolveGroups(scope: ResolveScope, catalog: PolicyCatalog): IamGroup[] {
  return resolveIdentities(scope, "groups", "group", scope.file.groups, (group, path) => ({
    name: group.name,
    account: group.account,
    arn: iamArn(group.account, "group", group.path, group.name),
    inlinePolicies: group.inlinePolicies,
    managedPolicies: catalog.attachable(group.managedPolicies, group.account, [...path, "managedPolicies"]),
    path: group.path,
    groupId: uniqueIdFor("AGPA", group.account, group.name),
    created: group.created ?? DEFAULT_CREATED,
  }));
}
