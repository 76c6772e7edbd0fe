// KMS's cryptographic operations on a found key, shared by the JSON API and the in-process agent path:
// data keys, Encrypt, and Decrypt (which finds its key inside the ciphertext).

import { randomBytes } from "node:crypto";
import type { RequestContextValues } from "../../policy/types.js";
import { AwsServiceError } from "../../protocol/errors.js";
import type { ServiceCall } from "../../server/runtime.js";
import type { KmsKey } from "../../world/model.js";
import { refuse } from "../authorize.js";
import { blobKeyArn, CiphertextMismatch, openBlob, sealBlob } from "./ciphertext-blob.js";
import { findKey, requireEnabled } from "./key-lookup.js";
import { keyMaterial } from "./key-material.js";
import { authorizeKeyUse, DECRYPT_DENIED_MESSAGE } from "./kms-authorize.js";

export const SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT";

/** KMS answers a ciphertext it cannot open (wrong bytes or a different encryption context) with no message. */
export function invalidCiphertext(): AwsServiceError {
  return new AwsServiceError("InvalidCiphertextException", "", 400);
}

export function encryptUnder(
  call: ServiceCall,
  key: KmsKey,
  plaintext: Buffer,
  context: Record<string, string>,
): Buffer {
  return sealBlob(keyMaterial(call.runtime, key), key.arn, plaintext, context);
}

export interface DecryptRequest {
  blob: Buffer;
  context: Record<string, string>;
  /** KeyId as the request gave it; when present it must name the key inside the ciphertext. */
  keyId?: string | undefined;
  viaService?: string | undefined;
  extraContext?: RequestContextValues;
}

export interface Decrypted {
  key: KmsKey;
  plaintext: Buffer;
}

export function decryptBlob(call: ServiceCall, request: DecryptRequest): Decrypted {
  let keyArn: string;
  try {
    keyArn = blobKeyArn(request.blob);
  } catch (error) {
    if (error instanceof CiphertextMismatch) {
      throw refuse(call, invalidCiphertext(), "the ciphertext is not one this KMS produced");
    }
    throw error;
  }
  const key = call.runtime.world.kmsKeys.find((k) => k.arn === keyArn && k.region === call.region);
  if (!key) {
    throw refuse(
      call,
      new AwsServiceError("AccessDeniedException", DECRYPT_DENIED_MESSAGE, 400),
      `kms:Decrypt: the ciphertext names ${keyArn}, which does not exist in ${call.region}`,
    );
  }
  if (request.keyId !== undefined) {
    const named = findKey(call.runtime.world, request.keyId, call.caller.account, call.region);
    if (named.key.arn !== key.arn) {
      throw new AwsServiceError(
        "IncorrectKeyException",
        "The key ID in the request does not identify a KMS key that can perform this operation.",
        400,
      );
    }
  }
  authorizeKeyUse(call, {
    found: { key },
    action: "kms:Decrypt",
    encryptionContext: request.context,
    encryptionAlgorithm: SYMMETRIC_DEFAULT,
    viaService: request.viaService,
    extraContext: request.extraContext,
  });
  requireEnabled(key);
  try {
    return { key, plaintext: openBlob(keyMaterial(call.runtime, key), request.blob, request.context) };
  } catch (error) {
    if (error instanceof CiphertextMismatch) {
      call.audit.decision = "InvalidCiphertextException";
      call.audit.reason = `${call.audit.reason ?? ""}; the ciphertext does not open with this encryption context`;
      throw invalidCiphertext();
    }
    throw error;
  }
}

/** A fresh data key and its ciphertext under the key. */
export function generateDataKey(
  call: ServiceCall,
  key: KmsKey,
  bytes: number,
  context: Record<string, string>,
): { plaintext: Buffer; blob: Buffer } {
  const plaintext = randomBytes(bytes);
  return { plaintext, blob: encryptUnder(call, key, plaintext, context) };
}
