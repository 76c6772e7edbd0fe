// Resolves the world's accounts (unique ids and aliases) and checks the account every other entity names.

import type { Account } from "../model.js";
import type { WorldFile } from "../schema.js";
import { FirstClaims } from "./first-claims.js";
import type { IssueList, Path } from "./issue-list.js";

/** The account ids the world declares; other sections' references are checked against them. */
export class KnownAccounts {
  constructor(
    private readonly ids: ReadonlySet<string>,
    private readonly issues: IssueList,
  ) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** True when the world declares `account`; otherwise reports it at `path`. */
  check(path: Path, account: string): boolean {
    if (this.ids.has(account)) return true;
    this.issues.add(
      path,
      `unknown account "${account}" (the world declares ${[...this.ids].join(", ") || "none"})`,
    );
    return false;
  }
}

export function resolveAccounts(
  file: WorldFile,
  issues: IssueList,
): { accounts: Account[]; known: KnownAccounts } {
  const ids = new Set<string>();
  const accounts = file.accounts.map((account, index) => {
    if (ids.has(account.id)) issues.add(["accounts", index, "id"], `duplicate account "${account.id}"`);
    ids.add(account.id);
    return { id: account.id, alias: account.alias ?? "" };
  });
  const aliases = new FirstClaims<number>();
  file.accounts.forEach((account, index) => {
    if (account.alias === undefined) return;
    const first = aliases.claim(account.alias, index);
    if (first !== undefined) {
      issues.add(
        ["accounts", index, "alias"],
        `alias "${account.alias}" is already used by accounts[${first}]`,
      );
    }
  });
  return { accounts, known: new KnownAccounts(ids, issues) };
}
