// Authorizes a use of a KMS key as KMS does: the key policy must allow, directly or by delegating to the
// account's IAM policies (`resource-gates`), with KMS's condition keys (kms:EncryptionContext:*,
// kms:CallerAccount, kms:ViaService when a service calls on the caller's behalf, …). Denials come back in
// AWS's words, and the audit line records the encryption context the call carried.

import type { RequestContextValues } from "../../policy/types.js";
import { AwsServiceError } from "../../protocol/errors.js";
import type { ServiceCall } from "../../server/runtime.js";
import { authorize } from "../authorize.js";
import { baseRequestContext } from "../request-context.js";
import type { FoundKey } from "./key-lookup.js";

/**
 * What KMS answers when Decrypt is refused — the key named inside the ciphertext is missing, in another
 * Region, or the caller may not use it — without saying which (the article's text for the instance role).
 */
export const DECRYPT_DENIED_MESSAGE =
  "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.";

export interface KeyUse {
  found: FoundKey;
  /** "kms:GenerateDataKey", "kms:Decrypt", … */
  action: string;
  encryptionContext?: Record<string, string>;
  /** kms:EncryptionAlgorithm for Encrypt and Decrypt. */
  encryptionAlgorithm?: string;
  /** kms:ViaService: absent unless a service (e.g. `ssm.R.amazonaws.com`) calls on the caller's behalf. */
  viaService?: string | undefined;
  /** Keys the credentials themselves carry (an instance role's ec2:SourceInstanceARN, …). */
  extraContext?: RequestContextValues | undefined;
}

export function kmsRequestContext(call: ServiceCall, use: KeyUse): RequestContextValues {
  const { key, requestAlias } = use.found;
  const context: RequestContextValues = {
    ...baseRequestContext(call),
    "kms:CallerAccount": call.caller.account,
    "kms:KeySpec": "SYMMETRIC_DEFAULT",
    "kms:KeyUsage": "ENCRYPT_DECRYPT",
    "kms:KeyOrigin": "AWS_KMS",
    "kms:MultiRegion": "false",
  };
  if (key.aliases.length > 0) context["kms:ResourceAliases"] = key.aliases;
  if (requestAlias !== undefined) context["kms:RequestAlias"] = requestAlias;
  if (use.encryptionAlgorithm !== undefined) context["kms:EncryptionAlgorithm"] = use.encryptionAlgorithm;
  if (use.viaService !== undefined) context["kms:ViaService"] = use.viaService;
  Object.assign(context, use.extraContext);
  const pairs = Object.entries(use.encryptionContext ?? {});
  for (const [name, value] of pairs) context[`kms:EncryptionContext:${name}`] = value;
  if (pairs.length > 0) context["kms:EncryptionContextKeys"] = pairs.map(([name]) => name);
  return context;
}

function noteContext(call: ServiceCall, use: KeyUse): void {
  if (use.encryptionContext === undefined || Object.keys(use.encryptionContext).length === 0) return;
  call.audit.reason = `${call.audit.reason ?? ""}; encryption context ${JSON.stringify(use.encryptionContext)}`;
}

/** Throws AccessDeniedException in KMS's wording when the key policy and IAM policies do not allow the use. */
export function authorizeKeyUse(call: ServiceCall, use: KeyUse): void {
  const { key } = use.found;
  try {
    authorize(call, {
      action: use.action,
      resource: key.arn,
      resourceAccount: key.account,
      context: kmsRequestContext(call, use),
      resourcePolicy: { name: `${key.arn} key policy`, document: key.policy },
      combine: "resource-gates",
      withReason: true,
    });
  } catch (error) {
    noteContext(call, use);
    if (error instanceof AwsServiceError && error.code === "AccessDenied") {
      const message = use.action === "kms:Decrypt" ? DECRYPT_DENIED_MESSAGE : error.message;
      throw new AwsServiceError("AccessDeniedException", message, 400);
    }
    throw error;
  }
  noteContext(call, use);
}
