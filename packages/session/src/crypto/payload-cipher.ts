// AES-256-GCM payloads as `nonce(12) ‖ ciphertext ‖ tag(16)`, no AAD (§6.3), and which payloads are sealed (§6.5).

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { ENCRYPTION, PayloadType } from "../constants.js";
import { PayloadDecryptionError } from "../errors.js";
import type { ChannelRole, DirectionalKeys } from "./data-key.js";

/** Where nonces come from. The client draws 12 random bytes per message; the agent counts (§6.3). */
export type NonceSource = () => Uint8Array;

export function randomNonceSource(): NonceSource {
  return () => randomBytes(ENCRYPTION.nonceBytes);
}

/**
 * The agent's nonce: a 96-bit counter starting at a random value, stored as three little-endian uint32 words
 * with carry from the first word to the last; each call returns the current value and then increments it.
 */
export function counterNonceSource(start: Uint8Array = randomBytes(ENCRYPTION.nonceBytes)): NonceSource {
  const state = Buffer.from(start);
  return () => {
    const nonce = Buffer.from(state);
    for (let word = 0; word < 3; word++) {
      const value = (state.readUInt32LE(word * 4) + 1) >>> 0;
      state.writeUInt32LE(value, word * 4);
      if (value !== 0) break;
    }
    return nonce;
  };
}

export function sealPayload(key: Uint8Array, plaintext: Uint8Array, nonce: Uint8Array): Uint8Array {
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

export function openPayload(key: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (sealed.length < ENCRYPTION.nonceBytes + ENCRYPTION.tagBytes)
    throw new PayloadDecryptionError(
      `An encrypted payload of ${sealed.length} bytes is shorter than nonce and tag.`,
      "The peer sent an unencrypted or truncated payload; check that both sides agreed on KMS encryption.",
    );
  const nonce = sealed.subarray(0, ENCRYPTION.nonceBytes);
  const tag = sealed.subarray(sealed.length - ENCRYPTION.tagBytes);
  const body = sealed.subarray(ENCRYPTION.nonceBytes, sealed.length - ENCRYPTION.tagBytes);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, nonce);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new PayloadDecryptionError(
      "An encrypted payload failed authentication (wrong key, or the bytes were altered in transit).",
      "Both sides must derive their keys from the same KMS data key; restart the session.",
    );
  }
}

/** One side's sealing state after the handshake. */
export class PayloadCipher {
  readonly #keys: DirectionalKeys;
  readonly #nextNonce: NonceSource;

  constructor(keys: DirectionalKeys, nonces: NonceSource = randomNonceSource()) {
    this.#keys = keys;
    this.#nextNonce = nonces;
  }

  encrypt(plaintext: Uint8Array): Uint8Array {
    return sealPayload(this.#keys.encryptKey, plaintext, this.#nextNonce());
  }

  decrypt(sealed: Uint8Array): Uint8Array {
    return openPayload(this.#keys.decryptKey, sealed);
  }
}

const CLIENT_TO_AGENT_SEALED: readonly number[] = [PayloadType.Output];
const AGENT_TO_CLIENT_SEALED: readonly number[] = [
  PayloadType.Output,
  PayloadType.StdErr,
  PayloadType.ExitCode,
];

/** Whether a payload sent by `sender` of this type travels encrypted once KMS is on (§6.5). */
export function isSealedPayloadType(sender: ChannelRole, payloadType: number): boolean {
  return (sender === "client" ? CLIENT_TO_AGENT_SEALED : AGENT_TO_CLIENT_SEALED).includes(payloadType);
}
