// A stand-in for KMS in tests: GenerateDataKey wraps a random key under an opaque blob; Decrypt gives it
// back only for the same key id and encryption context, as KMS does.

import { randomBytes } from "node:crypto";
import type {
  DataKeyDecryptRequest,
  DataKeyRequest,
  GeneratedDataKey,
} from "../../src/handshake/data-key-functions.js";

function canonicalContext(context: Record<string, string>): string {
  return JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b)));
}

export class FakeKms {
  readonly generated: DataKeyRequest[] = [];
  readonly decrypted: DataKeyDecryptRequest[] = [];
  readonly #wrapped = new Map<string, { plaintext: Buffer; keyId: string; context: string }>();

  generateDataKey = async (request: DataKeyRequest): Promise<GeneratedDataKey> => {
    this.generated.push(request);
    const plaintext = randomBytes(request.numberOfBytes);
    const blob = randomBytes(48);
    this.#wrapped.set(blob.toString("hex"), {
      plaintext,
      keyId: request.keyId,
      context: canonicalContext(request.encryptionContext),
    });
    return { plaintext, ciphertextBlob: blob };
  };

  decrypt = async (request: DataKeyDecryptRequest): Promise<Uint8Array> => {
    this.decrypted.push(request);
    const entry = this.#wrapped.get(Buffer.from(request.ciphertextBlob).toString("hex"));
    if (
      entry === undefined ||
      entry.keyId !== request.keyId ||
      entry.context !== canonicalContext(request.encryptionContext)
    )
      throw new Error("InvalidCiphertextException: the ciphertext or encryption context does not match");
    return entry.plaintext;
  };
}
