// Names and ids CloudFormation would give resources the template does not name: `stack-LogicalId-SUFFIX`
// names, instance ids and key ids. Derived from account, region, stack and logical id, so a template always
// loads into the same world.

import { createHash } from "node:crypto";

export interface ResourceScope {
  account: string;
  region: string;
  stackName: string;
  logicalId: string;
}

function digest(kind: string, scope: ResourceScope): Buffer {
  return createHash("sha256")
    .update([kind, scope.account, scope.region, scope.stackName, scope.logicalId].join("\u0000"))
    .digest();
}

const SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const SUFFIX_LENGTH = 12;

/**
 * `OperationUsersStack-Project1OsUser1Role-0JMNXpeOCu1T`: stack name and logical id, cut to fit `maxLength`
 * (the logical id is cut first, as CloudFormation does), then a random-looking suffix.
 */
export function generatedName(scope: ResourceScope, maxLength: number): string {
  const bytes = digest("name", scope);
  let suffix = "";
  for (let index = 0; index < SUFFIX_LENGTH; index++) {
    suffix += SUFFIX_ALPHABET[bytes[index]! % SUFFIX_ALPHABET.length];
  }
  const budget = maxLength - SUFFIX_LENGTH - 2;
  const stackPart = scope.stackName.slice(
    0,
    Math.max(Math.floor(budget / 2), budget - scope.logicalId.length),
  );
  const logicalPart = scope.logicalId.slice(0, Math.max(0, budget - stackPart.length));
  return `${stackPart}-${logicalPart}-${suffix}`;
}

/** i- and 17 hex digits. */
export function generatedInstanceId(scope: ResourceScope): string {
  return `i-${digest("instance", scope).toString("hex").slice(0, 17)}`;
}

/** A key id in UUID form. */
export function generatedKmsKeyId(scope: ResourceScope): string {
  const hex = digest("kms-key", scope).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A base32 TOTP seed (20 bytes, as AWS's virtual devices) for a user's generated device. Sandbox-only. */
export function generatedMfaSeed(account: string, userName: string): Buffer {
  return createHash("sha256")
    .update(["template-mfa", account, userName].join("\u0000"))
    .digest()
    .subarray(0, 20);
}
