// The checks IAM makes of the policies a world attaches: identity policies name no principal; resource
// policies (trust, key) name one, and every IAM user or role they name exists in the world.

import type { PolicyDocument, Statement } from "../../policy/types.js";
import type { KnownAccounts } from "./accounts.js";
import type { IssueList, Path } from "./issue-list.js";

function statementsOf(document: PolicyDocument, path: Path): { statement: Statement; path: Path }[] {
  if (Array.isArray(document.Statement)) {
    return document.Statement.map((statement, index) => ({ statement, path: [...path, "Statement", index] }));
  }
  return [{ statement: document.Statement, path: [...path, "Statement"] }];
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function checkIdentityPolicy(document: PolicyDocument, path: Path, issues: IssueList): void {
  for (const { statement, path: statementPath } of statementsOf(document, path)) {
    for (const key of ["Principal", "NotPrincipal"] as const) {
      if (statement[key] !== undefined) {
        issues.add([...statementPath, key], "an identity-based policy cannot name a principal");
      }
    }
  }
}

export function checkInlinePolicies(
  policies: Record<string, PolicyDocument>,
  path: Path,
  issues: IssueList,
): void {
  for (const [name, document] of Object.entries(policies))
    checkIdentityPolicy(document, [...path, name], issues);
}

/** Resource policies must name principals, and IAM refuses principals of the world's accounts that do not exist. */
export class ResourcePolicyCheck {
  private readonly principalArns: ReadonlySet<string>;

  constructor(
    private readonly issues: IssueList,
    private readonly accounts: KnownAccounts,
    principals: readonly { arn: string }[],
  ) {
    this.principalArns = new Set(principals.map((principal) => principal.arn));
  }

  check(document: PolicyDocument, path: Path): void {
    for (const { statement, path: statementPath } of statementsOf(document, path)) {
      if (statement.Principal === undefined && statement.NotPrincipal === undefined) {
        this.issues.add(statementPath, "a trust or key policy statement must name a Principal");
        continue;
      }
      for (const key of ["Principal", "NotPrincipal"] as const) {
        const block = statement[key];
        if (block === undefined || block === "*") continue;
        asList(block.AWS).forEach((principal, principalIndex) => {
          const principalPath: Path = Array.isArray(block.AWS)
            ? [...statementPath, key, "AWS", principalIndex]
            : [...statementPath, key, "AWS"];
          this.checkPrincipal(principal, principalPath);
        });
      }
    }
  }

  private checkPrincipal(principal: string, path: Path): void {
    const match = /^arn:aws:iam::(\d{12}):(user|role)\/.+$/.exec(principal);
    if (match === null || !this.accounts.has(match[1]!) || this.principalArns.has(principal)) return;
    this.issues.add(path, `invalid principal: no ${match[2]} ${principal} in this world`);
  }
}
