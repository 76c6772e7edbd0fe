// The checks every IAM identity (group, user, role) gets before its own: a declared account, a name unique
// in that account, and inline policies that are identity policies.

import type { PolicyDocument } from "../../policy/types.js";
import type { IamNames } from "./iam-names.js";
import type { Path } from "./issue-list.js";
import { checkInlinePolicies } from "./policy-checks.js";
import type { ResolveScope } from "./resolve-scope.js";

export interface IdentityInput {
  account: string;
  name: string;
  inlinePolicies: Record<string, PolicyDocument>;
}

export function checkIdentity(
  scope: ResolveScope,
  names: IamNames,
  path: Path,
  identity: IdentityInput,
): void {
  scope.accounts.check([...path, "account"], identity.account);
  names.claim(identity.account, identity.name, [...path, "name"]);
  checkInlinePolicies(identity.inlinePolicies, [...path, "inlinePolicies"], scope.issues);
}
