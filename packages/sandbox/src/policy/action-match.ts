// Matches a request's action against a statement's Action or NotAction (case-insensitive, `*` and `?`).

import type { OneOrMany, Statement } from "./types.js";
import { matchesWildcard } from "./wildcard.js";

export function toList<T>(value: OneOrMany<T> | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether one action pattern (`ssm:Start*`, `*`) covers the action; service prefix and name ignore case. */
export function actionPatternMatches(pattern: string, action: string): boolean {
  return matchesWildcard(pattern, action, { ignoreCase: true });
}

/** Action: any pattern covers the request. NotAction: none does. A statement with neither matches nothing. */
export function statementMatchesAction(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) {
    return toList(statement.Action).some((pattern) => actionPatternMatches(pattern, action));
  }
  if (statement.NotAction !== undefined) {
    return !toList(statement.NotAction).some((pattern) => actionPatternMatches(pattern, action));
  }
  return false;
}
