// The 64-byte KMS data key (§6.1–§6.2): its split into two AES-256 keys, one per direction.

import { ENCRYPTION } from "../constants.js";
import { DataKeyError } from "../errors.js";

export type ChannelRole = "client" | "agent";

/** The two keys one side uses: `encryptKey` for what it sends, `decryptKey` for what it receives. */
export interface DirectionalKeys {
  encryptKey: Uint8Array;
  decryptKey: Uint8Array;
}

/**
 * Bytes 0–31 carry agent → client traffic and bytes 32–63 client → agent (§6.2): the agent encrypts with the
 * first half, the client with the second.
 */
export function splitDataKey(plaintext: Uint8Array, role: ChannelRole): DirectionalKeys {
  if (plaintext.length !== ENCRYPTION.dataKeyBytes)
    throw new DataKeyError(
      `The KMS data key is ${plaintext.length} bytes; the session needs ${ENCRYPTION.dataKeyBytes}.`,
      "Ask GenerateDataKey for NumberOfBytes 64 (and no KeySpec).",
    );
  const agentToClient = new Uint8Array(plaintext.subarray(0, ENCRYPTION.halfKeyBytes));
  const clientToAgent = new Uint8Array(plaintext.subarray(ENCRYPTION.halfKeyBytes));
  return role === "agent"
    ? { encryptKey: agentToClient, decryptKey: clientToAgent }
    : { encryptKey: clientToAgent, decryptKey: agentToClient };
}

/** The KMS encryption context of a session (§6.1, §6.4); the challenge entry only when it is acknowledged. */
export function sessionEncryptionContext(
  sessionId: string,
  targetId: string,
  randomChallenge?: string,
): Record<string, string> {
  const context: Record<string, string> = {
    [ENCRYPTION.contextSessionId]: sessionId,
    [ENCRYPTION.contextTargetId]: targetId,
  };
  if (randomChallenge !== undefined) context[ENCRYPTION.contextRandomChallenge] = randomChallenge;
  return context;
}
