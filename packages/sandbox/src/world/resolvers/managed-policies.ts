// Resolves the world's managed policies (ARNs, unique names, identity-policy checks) and the references
// users, groups and roles make to them.

import { iamArn } from "../ids.js";
import type { ManagedPolicy } from "../model.js";
import { IamNames } from "./iam-names.js";
import { type Path, unknownMessage } from "./issue-list.js";
import { checkIdentityPolicy } from "./policy-checks.js";
import type { ResolveScope } from "./resolve-scope.js";

/** The managed policies of the world, and which of them an account may attach. */
export class PolicyCatalog {
  private readonly byArn: ReadonlyMap<string, ManagedPolicy>;

  constructor(
    readonly policies: ManagedPolicy[],
    private readonly scope: ResolveScope,
  ) {
    this.byArn = new Map(policies.map((policy) => [policy.arn, policy]));
  }

  /** A reference is an ARN, or a name looked up first in the owner's account, then among AWS-managed ones. */
  attachable(refs: string[], owner: string, path: Path): string[] {
    return refs.flatMap((ref, index) => {
      const resolved = ref.startsWith("arn:")
        ? this.byArnFor(ref, owner, [...path, index])
        : this.byNameFor(ref, owner, [...path, index]);
      return resolved === undefined ? [] : [resolved];
    });
  }

  private byArnFor(ref: string, owner: string, path: Path): string | undefined {
    const policy = this.byArn.get(ref);
    if (policy === undefined) {
      this.scope.issues.add(path, unknownMessage("managed policy", ref, [...this.byArn.keys()]));
      return undefined;
    }
    if (policy.account !== "aws" && policy.account !== owner) {
      this.scope.issues.add(
        path,
        `policy ${ref} belongs to account ${policy.account}; only account ${owner}'s own or AWS-managed policies can be attached here`,
      );
      return undefined;
    }
    return ref;
  }

  private byNameFor(ref: string, owner: string, path: Path): string | undefined {
    const match =
      this.policies.find((policy) => policy.account === owner && policy.name === ref) ??
      this.policies.find((policy) => policy.account === "aws" && policy.name === ref);
    if (match === undefined) {
      const usable = this.policies
        .filter((p) => p.account === owner || p.account === "aws")
        .map((p) => p.name);
      this.scope.issues.add(path, unknownMessage("managed policy", ref, usable, ` for account ${owner}`));
      return undefined;
    }
    return match.arn;
  }
}

export function resolveManagedPolicies(scope: ResolveScope): PolicyCatalog {
  const names = new IamNames("managed policy", scope.issues);
  const policies = scope.file.managedPolicies.map((policy, index): ManagedPolicy => {
    const path: Path = ["managedPolicies", index];
    if (policy.account !== "aws") scope.accounts.check([...path, "account"], policy.account);
    names.claim(policy.account, policy.name, [...path, "name"]);
    checkIdentityPolicy(policy.document, [...path, "document"], scope.issues);
    return {
      name: policy.name,
      arn: iamArn(policy.account, "policy", policy.path, policy.name),
      account: policy.account,
      document: policy.document,
      path: policy.path,
      description: policy.description,
    };
  });
  return new PolicyCatalog(policies, scope);
}
