// Finds the user or role a profile names, by ARN or by a name that must be unique across the world's accounts.

import { type IssueList, type Path, unknownMessage } from "./issue-list.js";

export function findByNameOrArn<T extends { name: string; arn: string; account: string }>(
  entities: T[],
  reference: string,
  what: string,
  path: Path,
  issues: IssueList,
): T | undefined {
  if (reference.startsWith("arn:")) {
    const found = entities.find((entity) => entity.arn === reference);
    if (found === undefined) {
      issues.add(
        path,
        unknownMessage(
          what,
          reference,
          entities.map((e) => e.arn),
        ),
      );
    }
    return found;
  }
  const matches = entities.filter((entity) => entity.name === reference);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    issues.add(
      path,
      unknownMessage(
        what,
        reference,
        entities.map((e) => e.name),
      ),
    );
  } else issues.add(path, `${what} "${reference}" exists in several accounts; give its ARN`);
  return undefined;
}
