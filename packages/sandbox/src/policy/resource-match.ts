// Matches a request's resource ARN against a statement's Resource or NotResource (wildcards, policy variables).

import { toList } from "./action-match.js";
import { splitArn } from "./arn.js";
import type { ContextLookup } from "./request-context.js";
import type { Statement } from "./types.js";
import { expandPolicyString } from "./variables.js";
import { matchesTokens } from "./wildcard.js";

/**
 * One Resource entry against the request's resource. `*` covers everything. Otherwise each of the first five
 * ARN parts is matched on its own (a wildcard there does not reach across a colon) and the resource part as a
 * whole; matching is case-sensitive. Returns undefined when the entry holds a policy variable the request
 * cannot resolve (and no earlier part already ruled the resource out): such an entry neither matches nor
 * excludes, so neither a Resource nor a NotResource built on it applies.
 */
export function resourcePatternMatches(
  pattern: string,
  resource: string,
  context: ContextLookup,
  variables: boolean,
): boolean | undefined {
  if (pattern === "*") return true;
  const options = { variables, wildcards: true };
  const patternParts = splitArn(pattern);
  const resourceParts = splitArn(resource);
  if (!patternParts || !resourceParts) {
    // Not ARNs (a bare "*" request for actions without resource-level permissions): whole-string match.
    const tokens = expandPolicyString(pattern, context, options);
    return tokens === undefined ? undefined : matchesTokens(tokens, resource, false);
  }
  for (let i = 0; i < patternParts.length; i++) {
    const tokens = expandPolicyString(patternParts[i]!, context, options);
    if (tokens === undefined) return undefined;
    if (!matchesTokens(tokens, resourceParts[i]!, false)) return false;
  }
  return true;
}

/**
 * Resource: any entry covers the request. NotResource: every entry definitely excludes it. Neither (trust
 * policies): always applies.
 */
export function statementMatchesResource(
  statement: Statement,
  resource: string,
  context: ContextLookup,
  variables: boolean,
): boolean {
  if (statement.Resource !== undefined) {
    const entries = toList(statement.Resource);
    return entries.some((p) => resourcePatternMatches(p, resource, context, variables) === true);
  }
  if (statement.NotResource !== undefined) {
    const entries = toList(statement.NotResource);
    return entries.every((p) => resourcePatternMatches(p, resource, context, variables) === false);
  }
  return true;
}
