// Cross-references and derived values: checks that a schema-valid world file is consistent (accounts, groups,
// policies, roles, keys, devices, profiles exist and are unique) and fills ARNs, unique ids and defaults. Each
// section has its resolver under resolvers/; this composes them in the order their issues are reported.

import { resolveRolesAnywhere } from "../rolesanywhere/world/resolve.js";
import type { WorldIssue } from "./issues.js";
import type { World } from "./model.js";
import { resolveAccounts } from "./resolvers/accounts.js";
import { resolveGroups } from "./resolvers/groups.js";
import { resolveHybridActivations } from "./resolvers/hybrid-activations.js";
import { resolveIdentityCenter } from "./resolvers/identity-center.js";
import { resolveInstances } from "./resolvers/instances.js";
import { IssueList } from "./resolvers/issue-list.js";
import { resolveKmsKeys } from "./resolvers/kms-keys.js";
import { resolveManagedPolicies } from "./resolvers/managed-policies.js";
import { ResourcePolicyCheck } from "./resolvers/policy-checks.js";
import { resolveProfiles } from "./resolvers/profiles.js";
import type { ResolveScope } from "./resolvers/resolve-scope.js";
import { checkTrustPolicies, resolveRoles } from "./resolvers/roles.js";
import { resolveSessionPreferences } from "./resolvers/session-preferences.js";
import { resolveUsers } from "./resolvers/users.js";
import type { WorldFile } from "./schema.js";

export function resolveWorld(file: WorldFile): { world: World; issues: WorldIssue[] } {
  const issues = new IssueList();
  const { accounts, known } = resolveAccounts(file, issues);
  const scope: ResolveScope = { file, issues, accounts: known };
  const catalog = resolveManagedPolicies(scope);
  const groups = resolveGroups(scope, catalog);
  const users = resolveUsers(scope, catalog, groups);
  // Identity Center's provisioned roles are roles like the others: trust policies may name them.
  const sso = resolveIdentityCenter(scope, catalog);
  const roles = [...resolveRoles(scope, catalog), ...sso.roles];
  // Trust and key policies may name only principals that exist: checked once users and roles are known.
  const resourcePolicies = new ResourcePolicyCheck(issues, known, [...users, ...roles]);
  checkTrustPolicies(scope, resourcePolicies);
  const kmsKeys = resolveKmsKeys(scope, resourcePolicies);
  const instances = resolveInstances(scope, roles);
  const hybrid = resolveHybridActivations(scope, roles, instances);
  const world: World = {
    region: file.region,
    accounts,
    managedPolicies: catalog.policies,
    users,
    groups,
    roles,
    kmsKeys,
    sessionPreferences: resolveSessionPreferences(scope, kmsKeys),
    // The on-premises nodes the world registers are instances like the others for every service.
    instances: [...instances, ...hybrid.nodes],
    hybridActivations: hybrid.activations,
    profiles: resolveProfiles(scope, users, roles),
    ...(sso.identityCenter === undefined ? {} : { identityCenter: sso.identityCenter }),
    rolesAnywhere: resolveRolesAnywhere(scope, roles),
    agents: file.agents,
  };
  return { world, issues: issues.items };
}
