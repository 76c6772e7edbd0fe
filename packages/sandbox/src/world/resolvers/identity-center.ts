// Resolves the `identityCenter` section: its users and groups exist and are unique, each assignment names a
// declared account, permission set and principal, and each permission set assigned in an account becomes
// the role IAM Identity Center provisions there: `AWSReservedSSO_<set>_<suffix>` under the path
// `/aws-reserved/sso.amazonaws.com/<region>/`, trusting only the instance's SAML provider, carrying the
// set's inline policy (as `AwsSSOInlinePolicy`) and managed policies.

import { createHash, randomBytes } from "node:crypto";
import type { PolicyDocument } from "../../policy/types.js";
import type { IdentityCenterFile } from "../identity-center-schema.js";
import { iamArn, uniqueIdFor } from "../ids.js";
import type { IamRole, IdentityCenter, SsoAssignment, SsoUser } from "../model.js";
import { DEFAULT_CREATED } from "../schema.js";
import { type Path, unknownMessage } from "./issue-list.js";
import type { PolicyCatalog } from "./managed-policies.js";
import { checkIdentityPolicy } from "./policy-checks.js";
import type { ResolveScope } from "./resolve-scope.js";

const SECTION = "identityCenter";

function hex(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** AWS's path for the roles of an instance: no region segment in us-east-1, the region elsewhere. */
export function ssoRolePath(region: string): string {
  return region === "us-east-1"
    ? "/aws-reserved/sso.amazonaws.com/"
    : `/aws-reserved/sso.amazonaws.com/${region}/`;
}

/** The role name AWS gives a provisioned permission set: a 16-hex suffix stable for the instance and set. */
export function ssoRoleName(startUrl: string, permissionSet: string): string {
  return `AWSReservedSSO_${permissionSet}_${hex(startUrl, permissionSet).slice(0, 16)}`;
}

function uniqueNames(
  scope: ResolveScope,
  list: readonly { name: string }[],
  what: string,
  key: string,
): void {
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const first = seen.get(entry.name.toLowerCase());
    if (first !== undefined) {
      scope.issues.add(
        [SECTION, key, index, "name"],
        `duplicate ${what} "${entry.name}" (also ${key}[${first}])`,
      );
    } else seen.set(entry.name.toLowerCase(), index);
  });
}

function resolveUsers(scope: ResolveScope, file: IdentityCenterFile): SsoUser[] {
  uniqueNames(scope, file.users, "Identity Center user", "users");
  uniqueNames(scope, file.groups, "Identity Center group", "groups");
  const userNames = file.users.map((u) => u.name);
  file.groups.forEach((group, g) => {
    group.members.forEach((member, m) => {
      if (!userNames.includes(member)) {
        scope.issues.add(
          [SECTION, "groups", g, "members", m],
          unknownMessage("Identity Center user", member, userNames),
        );
      }
    });
  });
  return file.users.map((user) => {
    const id = hex(file.startUrl, "user", user.name);
    return {
      name: user.name,
      userId: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
      email: user.email ?? `${user.name}@example.com`,
      displayName: user.displayName ?? user.name,
      // No password in the file: nobody can guess one; `tobira sandbox sso approve` reads it in world.json.
      password: user.password ?? randomBytes(18).toString("base64url"),
      groups: file.groups.filter((g) => g.members.includes(user.name)).map((g) => g.name),
    };
  });
}

function principalOf(
  scope: ResolveScope,
  file: IdentityCenterFile,
  entry: IdentityCenterFile["assignments"][number],
  path: Path,
): SsoAssignment["principal"] | undefined {
  if (entry.user !== undefined) {
    const known = file.users.map((u) => u.name);
    if (known.includes(entry.user)) return { type: "USER", name: entry.user };
    scope.issues.add([...path, "user"], unknownMessage("Identity Center user", entry.user, known));
    return undefined;
  }
  const known = file.groups.map((g) => g.name);
  if (known.includes(entry.group ?? "")) return { type: "GROUP", name: entry.group ?? "" };
  scope.issues.add([...path, "group"], unknownMessage("Identity Center group", entry.group ?? "", known));
  return undefined;
}

function resolveAssignments(scope: ResolveScope, file: IdentityCenterFile, region: string): SsoAssignment[] {
  const setNames = file.permissionSets.map((p) => p.name);
  return file.assignments.flatMap((entry, index): SsoAssignment[] => {
    const path: Path = [SECTION, "assignments", index];
    scope.accounts.check([...path, "account"], entry.account);
    if (!setNames.includes(entry.permissionSet)) {
      scope.issues.add(
        [...path, "permissionSet"],
        unknownMessage("permission set", entry.permissionSet, setNames),
      );
      return [];
    }
    const principal = principalOf(scope, file, entry, path);
    if (principal === undefined) return [];
    const roleName = ssoRoleName(file.startUrl, entry.permissionSet);
    const roleArn = iamArn(entry.account, "role", ssoRolePath(region), roleName);
    return [{ account: entry.account, permissionSet: entry.permissionSet, principal, roleName, roleArn }];
  });
}

function samlTrust(account: string, startUrl: string): PolicyDocument {
  const provider = `arn:aws:iam::${account}:saml-provider/AWSSSO_${hex(startUrl).slice(0, 16)}_DO_NOT_DELETE`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: provider },
        Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
      },
    ],
  };
}

/** One role per (account, permission set) that some assignment provisions. */
function provisionedRoles(
  file: IdentityCenterFile,
  catalog: PolicyCatalog,
  assignments: SsoAssignment[],
): IamRole[] {
  const roles = new Map<string, IamRole>();
  for (const assignment of assignments) {
    if (roles.has(assignment.roleArn)) continue;
    const setIndex = file.permissionSets.findIndex((p) => p.name === assignment.permissionSet);
    const set = file.permissionSets[setIndex]!;
    const path: Path = [SECTION, "permissionSets", setIndex];
    roles.set(assignment.roleArn, {
      name: assignment.roleName,
      account: assignment.account,
      path: assignment.roleArn.slice(assignment.roleArn.indexOf(":role") + 5, -assignment.roleName.length),
      roleId: uniqueIdFor("AROA", assignment.account, assignment.roleName),
      arn: assignment.roleArn,
      trust: samlTrust(assignment.account, file.startUrl),
      inlinePolicies: set.inlinePolicy === undefined ? {} : { AwsSSOInlinePolicy: set.inlinePolicy },
      managedPolicies: catalog.attachable(set.managedPolicies, assignment.account, [
        ...path,
        "managedPolicies",
      ]),
      tags: {},
      maxSessionDuration: set.sessionDuration,
      created: DEFAULT_CREATED,
      description: `Provisioned by IAM Identity Center for permission set ${set.name}: ${set.description}`,
    });
  }
  return [...roles.values()];
}

/** The instance and the roles it provisions; no section, no instance and no roles. */
export function resolveIdentityCenter(
  scope: ResolveScope,
  catalog: PolicyCatalog,
): { identityCenter?: IdentityCenter; roles: IamRole[] } {
  const file = scope.file.identityCenter;
  if (file === undefined) return { roles: [] };
  const region = file.region ?? scope.file.region;
  uniqueNames(scope, file.permissionSets, "permission set", "permissionSets");
  file.permissionSets.forEach((set, index) => {
    if (set.inlinePolicy !== undefined) {
      checkIdentityPolicy(set.inlinePolicy, [SECTION, "permissionSets", index, "inlinePolicy"], scope.issues);
    }
  });
  const users = resolveUsers(scope, file);
  const assignments = resolveAssignments(scope, file, region);
  const identityCenter: IdentityCenter = {
    region,
    startUrl: file.startUrl,
    identityStoreId: `d-${hex(file.startUrl, "store").slice(0, 10)}`,
    accessTokenSeconds: file.accessTokenSeconds,
    users,
    permissionSets: file.permissionSets.map((p) => ({
      name: p.name,
      description: p.description,
      sessionDuration: p.sessionDuration,
    })),
    assignments,
  };
  return { identityCenter, roles: provisionedRoles(file, catalog, assignments) };
}
