// Matches the caller against a resource policy's Principal or NotPrincipal, telling a direct grant from an account one.

import { toList } from "./action-match.js";
import type { PrincipalBlock, RequestPrincipal, Statement } from "./types.js";

/**
 * How a statement names the caller:
 * - "direct": by its own ARN (user, role, session), a service, or `*` — a grant that stands alone in the
 *   resource's account;
 * - "account": only by the caller's account (`arn:aws:iam::A:root` or `A`) — the account delegates to its
 *   IAM policies, so an identity-based allow is needed as well;
 * - "none": the statement is not about this caller.
 */
export type PrincipalMatch = "direct" | "account" | "none";

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT = /^arn:aws[\w-]*:iam::(\d{12}):root$/;

function awsEntryMatch(entry: string, principal: RequestPrincipal): PrincipalMatch {
  if (entry === "*") return "direct";
  const root = ACCOUNT_ROOT.exec(entry);
  if (root || ACCOUNT_ID.test(entry)) {
    const account = root ? root[1] : entry;
    return account === principal.account ? "account" : "none";
  }
  return principal.matchArns.includes(entry) ? "direct" : "none";
}

/** The strongest way any entry of a Principal block names the caller. */
export function principalBlockMatch(block: PrincipalBlock, principal: RequestPrincipal): PrincipalMatch {
  if (block === "*") return "direct";
  let best: PrincipalMatch = "none";
  for (const entry of toList(block.AWS)) {
    const match = awsEntryMatch(entry, principal);
    if (match === "direct") return "direct";
    if (match === "account") best = "account";
  }
  const services = principal.services ?? [];
  if (toList(block.Service).some((s) => services.includes(s))) return "direct";
  // Federated and canonical-user principals name the caller only by its exact identifier.
  const others = [...toList(block.Federated), ...toList(block.CanonicalUser)];
  if (others.some((id) => id === principal.arn || principal.matchArns.includes(id))) return "direct";
  return best;
}

/**
 * Principal: how it names the caller. NotPrincipal: the caller is covered (directly) when no entry names it
 * in any way — naming its account also excludes it, which is why AWS asks a NotPrincipal to list the account
 * alongside a role and its session. A statement with neither names no one.
 */
export function statementPrincipalMatch(statement: Statement, principal: RequestPrincipal): PrincipalMatch {
  if (statement.Principal !== undefined) return principalBlockMatch(statement.Principal, principal);
  if (statement.NotPrincipal !== undefined) {
    return principalBlockMatch(statement.NotPrincipal, principal) === "none" ? "direct" : "none";
  }
  return "none";
}
