// Derives the cache key of every planned step from everything that changes its credentials (pure).
// A step's key folds in its parent's key, so a new source key or an earlier hop's change reaches every later hop.
// Lock names are the same derivation without the access key id: a process must be able to take the lock
// before it opens the vault (which may prompt for a passphrase and run scrypt), so that twenty concurrent
// callers do not all unlock the vault at once.
import { createHash } from "node:crypto";
import type { CredentialPlan, CredentialStep } from "./plan.js";

const FORMAT = "tobira-session-v1";

/** The cache key of each step, in plan order. `accessKeyId` is the source's access key id. */
export function stepCacheKeys(plan: CredentialPlan, accessKeyId: string): string[] {
  return chainKeys(plan, ["key", accessKeyId]);
}

/** The lock name of each step, in plan order; independent of the access key so it is known before the vault opens. */
export function stepLockNames(plan: CredentialPlan): string[] {
  return chainKeys(plan, ["lock"]);
}

/**
 * What stands for the source key of an SSO plan: the start URL and session whose login the role credentials
 * come from (there is no long-term key, and no record to look it up in).
 */
export function ssoSourceKey(plan: CredentialPlan): string | undefined {
  const first = plan.steps[0];
  return first?.kind === "sso-role" ? `sso:${first.sessionName ?? ""}:${first.startUrl}` : undefined;
}

/** Where the source record (access key id, IAM user name and ARN) of a long-term profile is cached. */
export function sourceRecordKey(sourceProfile: string): string {
  return digest([FORMAT, "source", sourceProfile]);
}

function chainKeys(plan: CredentialPlan, purpose: string[]): string[] {
  let parent = digest([FORMAT, ...purpose, plan.source.kind, plan.source.profile]);
  return plan.steps.map((step) => {
    parent = digest([parent, ...stepFields(step)]);
    return parent;
  });
}

/** Every input of the STS call, in a fixed order; absent values are empty strings, maps are sorted. */
function stepFields(step: CredentialStep): string[] {
  if (step.kind === "sso-role") {
    return [
      "GetRoleCredentials",
      step.profile,
      step.startUrl,
      step.sessionName ?? "",
      step.accountId,
      step.roleName,
      step.region,
      step.endpointUrl ?? "",
    ];
  }
  if (step.kind === "session-token") {
    return [
      "GetSessionToken",
      step.profile,
      step.serial ?? "",
      String(step.durationSeconds),
      step.region,
      step.endpointUrl ?? "",
    ];
  }
  const tags = Object.entries(step.sessionTags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    "AssumeRole",
    step.profile,
    step.roleArn,
    step.serial ?? "",
    step.externalId ?? "",
    // The default session name is a function of the source key, which the parent key already holds.
    step.sessionName ?? "(caller)",
    String(step.durationSeconds),
    JSON.stringify(tags),
    JSON.stringify([...(step.transitiveSessionTags ?? [])].sort()),
    step.sourceIdentity ?? "",
    step.region,
    step.endpointUrl ?? "",
  ];
}

function digest(parts: string[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}
