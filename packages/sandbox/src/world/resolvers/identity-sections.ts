// What every IAM identity section (groups, users, roles) resolves alike: each entry's account is declared,
// its name is unique in that account, and its inline policies are identity policies; then the section's
// own resolver makes the entry.

import type { PolicyDocument } from "../../policy/types.js";
import { IamNames } from "./iam-names.js";
import type { Path } from "./issue-list.js";
import { checkInlinePolicies } from "./policy-checks.js";
import type { ResolveScope } from "./resolve-scope.js";

export interface IdentityInput {
  account: string;
  name: string;
  inlinePolicies: Record<string, PolicyDocument>;
}

export function resolveIdentities<Input extends IdentityInput, Resolved>(
  scope: ResolveScope,
  section: "groups" | "users" | "roles",
  what: string,
  inputs: readonly Input[],
  resolveOne: (input: Input, path: Path, index: number) => Resolved,
): Resolved[] {
  const names = new IamNames(what, scope.issues);
  return inputs.map((input, index) => {
    const path: Path = [section, index];
    scope.accounts.check([...path, "account"], input.account);
    names.claim(input.account, input.name, [...path, "name"]);
    checkInlinePolicies(input.inlinePolicies, [...path, "inlinePolicies"], scope.issues);
    return resolveOne(input, path, index);
  });
}
