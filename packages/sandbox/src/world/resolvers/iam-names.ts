// IAM names are unique per account regardless of case, as in IAM: one register per kind of entity.

import { FirstClaims } from "./first-claims.js";
import type { IssueList, Path } from "./issue-list.js";

export class IamNames {
  private readonly claims = new FirstClaims<string>();

  constructor(
    private readonly what: string,
    private readonly issues: IssueList,
  ) {}

  /** Claims `name` in `account` for the entity at `path` (["users", 3, "name"]); a second claim is reported. */
  claim(account: string, name: string, path: Path): void {
    const first = this.claims.claim(`${account}/${name.toLowerCase()}`, `${path[0]}[${path[1]}]`);
    if (first !== undefined) {
      this.issues.add(path, `duplicate ${this.what} "${name}" in account ${account} (also ${first})`);
    }
  }
}
