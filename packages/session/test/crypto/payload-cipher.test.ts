import assert from "node:assert/strict";
import { createCipheriv } from "node:crypto";
import { describe, it } from "node:test";
import { splitDataKey } from "../../src/crypto/data-key.js";
import {
  counterNonceSource,
  isSealedPayloadType,
  openPayload,
  PayloadCipher,
  sealPayload,
} from "../../src/crypto/payload-cipher.js";
import { DataKeyError, PayloadDecryptionError } from "../../src/errors.js";

/** A fixed 64-byte data key: bytes 0x00..0x3f. */
const DATA_KEY = Buffer.from(Array.from({ length: 64 }, (_, i) => i));
const NONCE = Buffer.from("000102030405060708090a0b", "hex");
const PLAINTEXT = Buffer.from("echo $USER\r");

/** The independent oracle: AES-256-GCM straight from node:crypto, no code of the package. */
function oracle(key: Buffer, nonce: Buffer, plaintext: Buffer): { body: Buffer; tag: Buffer } {
  const c = createCipheriv("aes-256-gcm", key, nonce);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return { body, tag: c.getAuthTag() };
}

describe("§6.2 data key split", () => {
  it("the client encrypts with bytes 32–63 and decrypts with 0–31", () => {
    const keys = splitDataKey(DATA_KEY, "client");
    assert.deepEqual(Buffer.from(keys.encryptKey), DATA_KEY.subarray(32, 64));
    assert.deepEqual(Buffer.from(keys.decryptKey), DATA_KEY.subarray(0, 32));
  });
  it("the agent encrypts with bytes 0–31 and decrypts with 32–63", () => {
    const keys = splitDataKey(DATA_KEY, "agent");
    assert.deepEqual(Buffer.from(keys.encryptKey), DATA_KEY.subarray(0, 32));
    assert.deepEqual(Buffer.from(keys.decryptKey), DATA_KEY.subarray(32, 64));
  });
  it("refuses a key that is not 64 bytes", () => {
    assert.throws(() => splitDataKey(Buffer.alloc(32), "client"), DataKeyError);
  });
});

describe("§6.3 sealed payload layout nonce ‖ ciphertext ‖ tag", () => {
  it("matches an independent AES-256-GCM computation byte for byte", () => {
    const key = DATA_KEY.subarray(32, 64);
    const { body, tag } = oracle(key, NONCE, PLAINTEXT);
    const sealed = Buffer.from(sealPayload(key, PLAINTEXT, NONCE));
    assert.equal(sealed.length, 12 + PLAINTEXT.length + 16);
    assert.deepEqual(sealed.subarray(0, 12), NONCE);
    assert.deepEqual(sealed.subarray(12, 12 + body.length), body);
    assert.deepEqual(sealed.subarray(12 + body.length), tag);
  });

  it("a client-sealed payload opens with the agent's keys (and not with the wrong half)", () => {
    const client = new PayloadCipher(splitDataKey(DATA_KEY, "client"));
    const agent = new PayloadCipher(splitDataKey(DATA_KEY, "agent"));
    assert.deepEqual(Buffer.from(agent.decrypt(client.encrypt(PLAINTEXT))), PLAINTEXT);
    assert.deepEqual(Buffer.from(client.decrypt(agent.encrypt(PLAINTEXT))), PLAINTEXT);
    assert.throws(() => client.decrypt(client.encrypt(PLAINTEXT)), PayloadDecryptionError);
  });

  it("opens an oracle-built payload and rejects a flipped bit or a truncated one", () => {
    const key = DATA_KEY.subarray(0, 32);
    const { body, tag } = oracle(key, NONCE, PLAINTEXT);
    const sealed = Buffer.concat([NONCE, body, tag]);
    assert.deepEqual(Buffer.from(openPayload(key, sealed)), PLAINTEXT);
    const flipped = Buffer.from(sealed);
    flipped[14] = (flipped[14] ?? 0) ^ 1;
    assert.throws(() => openPayload(key, flipped), PayloadDecryptionError);
    assert.throws(() => openPayload(key, sealed.subarray(0, 20)), PayloadDecryptionError);
  });

  it("the agent's counter nonce increments the first little-endian word and carries", () => {
    const next = counterNonceSource(Buffer.from("feffffffffffffff00000000", "hex"));
    assert.equal(Buffer.from(next()).toString("hex"), "feffffffffffffff00000000");
    assert.equal(Buffer.from(next()).toString("hex"), "ffffffffffffffff00000000");
    assert.equal(Buffer.from(next()).toString("hex"), "000000000000000001000000");
  });
});

describe("§6.5 which payloads are sealed", () => {
  it("client → agent: Output only", () => {
    assert.deepEqual(
      [1, 3, 6, 9, 10].map((t) => isSealedPayloadType("client", t)),
      [true, false, false, false, false],
    );
  });
  it("agent → client: Output, StdErr, ExitCode", () => {
    assert.deepEqual(
      [1, 11, 12, 5, 7, 8, 10].map((t) => isSealedPayloadType("agent", t)),
      [true, true, true, false, false, false, false],
    );
  });
});
