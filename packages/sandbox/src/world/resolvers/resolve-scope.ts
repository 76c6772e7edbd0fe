// What every section's resolver works with: the world file, the issue list and the declared accounts.

import type { WorldFile } from "../schema.js";
import type { KnownAccounts } from "./accounts.js";
import type { IssueList } from "./issue-list.js";

export interface ResolveScope {
  file: WorldFile;
  issues: IssueList;
  accounts: KnownAccounts;
}
