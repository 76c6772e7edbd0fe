// Resolves the world's IAM roles (ARNs, unique ids, attached policies) and checks their trust policies.

import { iamArn, uniqueIdFor } from "../ids.js";
import type { IamRole } from "../model.js";
import { DEFAULT_CREATED } from "../schema.js";
import { resolveIdentities } from "./identity-sections.js";
import type { PolicyCatalog } from "./managed-policies.js";
import type { ResourcePolicyCheck } from "./policy-checks.js";
import type { ResolveScope } from "./resolve-scope.js";

export function resolveRoles(scope: ResolveScope, catalog: PolicyCatalog): IamRole[] {
  return resolveIdentities(scope, "roles", "role", scope.file.roles, (role, path) => ({
    name: role.name,
    account: role.account,
    path: role.path,
    roleId: uniqueIdFor("AROA", role.account, role.name),
    arn: iamArn(role.account, "role", role.path, role.name),
    trust: role.trust,
    inlinePolicies: role.inlinePolicies,
    managedPolicies: catalog.attachable(role.managedPolicies, role.account, [...path, "managedPolicies"]),
    tags: role.tags,
    maxSessionDuration: role.maxSessionDuration,
    created: role.created ?? DEFAULT_CREATED,
    description: role.description,
  }));
}

/** A trust policy may only name principals that exist, so it is checked once all users and roles are known. */
export function checkTrustPolicies(scope: ResolveScope, resourcePolicies: ResourcePolicyCheck): void {
  scope.file.roles.forEach((role, index) => {
    resourcePolicies.check(role.trust, ["roles", index, "trust"]);
  });
}
