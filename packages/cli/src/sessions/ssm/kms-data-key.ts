// The data-key function the session core calls when the agent asks for KMS encryption: GenerateDataKey with
// the credentials the session was opened with (never re-resolved from the profile), failing in the words the
// official client uses so the agent's message reads as AWS users know it.
import { GenerateDataKeyCommand, type KMSClient } from "@aws-sdk/client-kms";
import type { GenerateDataKey } from "@tobira/session";
import { awsErrorFacts } from "./aws-error-text.js";

export interface KmsDataKeySource {
  generateDataKey: GenerateDataKey;
  /** The key the agent asked for, once it has (for hints). */
  lastKeyId(): string | undefined;
}

export function kmsDataKeySource(kms: KMSClient): KmsDataKeySource {
  let keyId: string | undefined;
  return {
    lastKeyId: () => keyId,
    async generateDataKey(request) {
      keyId = request.keyId;
      let plaintext: Uint8Array | undefined;
      let ciphertextBlob: Uint8Array | undefined;
      try {
        const answer = await kms.send(
          new GenerateDataKeyCommand({
            KeyId: request.keyId,
            EncryptionContext: request.encryptionContext,
            NumberOfBytes: request.numberOfBytes,
          }),
        );
        plaintext = answer.Plaintext;
        ciphertextBlob = answer.CiphertextBlob;
      } catch (error) {
        const { code, message } = awsErrorFacts(error);
        throw new Error(`Error calling KMS GenerateDataKey API: ${code}: ${message}`, { cause: error });
      }
      if (plaintext === undefined || ciphertextBlob === undefined)
        throw new Error("Error calling KMS GenerateDataKey API: the answer carried no key");
      return { plaintext, ciphertextBlob };
    },
  };
}
