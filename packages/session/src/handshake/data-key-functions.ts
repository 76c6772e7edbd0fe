// The shapes of the KMS calls the caller supplies: GenerateDataKey for the client, Decrypt for the agent.

/** What the client asks KMS for (§6.1): 64 bytes under the session's encryption context. */
export interface DataKeyRequest {
  keyId: string;
  encryptionContext: Record<string, string>;
  numberOfBytes: number;
}

export interface GeneratedDataKey {
  plaintext: Uint8Array;
  ciphertextBlob: Uint8Array;
}

/** Client side: typically `kms.send(new GenerateDataKeyCommand({KeyId, NumberOfBytes, EncryptionContext}))`. */
export type GenerateDataKey = (request: DataKeyRequest) => Promise<GeneratedDataKey>;

export interface DataKeyDecryptRequest {
  ciphertextBlob: Uint8Array;
  keyId: string;
  encryptionContext: Record<string, string>;
}

/** Agent side: `kms:Decrypt` as the instance role; resolves to the 64-byte plaintext key. */
export type DecryptDataKey = (request: DataKeyDecryptRequest) => Promise<Uint8Array>;
