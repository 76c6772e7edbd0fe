// The agent's kms:Decrypt of a session's data key, as the instance role, through the sandbox's KMS (no HTTP).
// Failures read as the real agent reports them (seed 000): "Unable to retrieve data key, Error when
// decrypting data key <Code>: <message>\n\tstatus code: <n>, request id: <id>".

import { randomUUID } from "node:crypto";
import type { DecryptDataKey } from "@tobira/session";
import { AwsServiceError } from "../protocol/errors.js";
import type { SandboxHost } from "../server/runtime.js";
import { decryptAsInstanceRole } from "../services/kms/instance-decrypt.js";
import type { Instance } from "../world/model.js";

/** kms:Decrypt failed for the agent; the message is the agent's, the session package prefixes its own. */
export class InstanceDecryptError extends Error {
  override readonly name = "InstanceDecryptError";
  readonly hint =
    "The instance role needs kms:Decrypt on the session key (in its IAM policy and allowed by the key policy) for this encryption context.";
}

export function instanceDecrypt(host: SandboxHost, instance: Instance): DecryptDataKey {
  return async ({ ciphertextBlob, keyId, encryptionContext }) => {
    const requestId = randomUUID();
    try {
      return decryptAsInstanceRole(host, instance, ciphertextBlob, encryptionContext, { keyId, requestId });
    } catch (error) {
      if (error instanceof AwsServiceError) {
        throw new InstanceDecryptError(
          `Unable to retrieve data key, Error when decrypting data key ${error.code}: ${error.message}\n\tstatus code: ${error.status}, request id: ${requestId}`,
        );
      }
      throw new InstanceDecryptError(
        `Unable to retrieve data key, Error when decrypting data key: ${(error as Error)?.message ?? String(error)}`,
      );
    }
  };
}
