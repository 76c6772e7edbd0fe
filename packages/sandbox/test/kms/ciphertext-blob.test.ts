import assert from "node:assert/strict";
import { createCipheriv } from "node:crypto";
import { describe, it } from "node:test";
import {
  blobKeyArn,
  CiphertextMismatch,
  contextBytes,
  openBlob,
  sealBlob,
} from "../../src/services/kms/ciphertext-blob.js";

const SECRET = Buffer.alloc(32, 0x11);
const ARN = "arn:aws:kms:ap-northeast-1:222222222222:key/k";

describe("the sandbox's ciphertext blob", () => {
  it("writes the encryption context as sorted, length-prefixed pairs", () => {
    // {"b": "2", "a": "xy"} → a, xy, b, 2 — each as a 4-byte big-endian length and its UTF-8 bytes.
    const expected = Buffer.from([
      0, 0, 0, 1, 0x61, 0, 0, 0, 2, 0x78, 0x79, 0, 0, 0, 1, 0x62, 0, 0, 0, 1, 0x32,
    ]);
    assert.deepEqual(contextBytes({ b: "2", a: "xy" }), expected);
    assert.deepEqual(contextBytes({}), Buffer.alloc(0));
  });

  it("opens a blob laid out by hand: magic, ARN length, ARN, nonce, AES-256-GCM body and tag", () => {
    const head = Buffer.concat([Buffer.from([0x54, 0x42, 0x4b, 0x01, 0x00, ARN.length]), Buffer.from(ARN)]);
    const nonce = Buffer.alloc(12, 0x22);
    const cipher = createCipheriv("aes-256-gcm", SECRET, nonce);
    // AAD = header, then the context {"k": "v"}: 00000001 6b 00000001 76.
    cipher.setAAD(Buffer.concat([head, Buffer.from([0, 0, 0, 1, 0x6b, 0, 0, 0, 1, 0x76])]));
    const body = Buffer.concat([cipher.update(Buffer.from("door")), cipher.final()]);
    const blob = Buffer.concat([head, nonce, body, cipher.getAuthTag()]);
    assert.equal(blobKeyArn(blob), ARN);
    assert.equal(openBlob(SECRET, blob, { k: "v" }).toString(), "door");
    assert.throws(() => openBlob(SECRET, blob, { k: "w" }), CiphertextMismatch);
    assert.throws(() => openBlob(SECRET, blob, {}), CiphertextMismatch);
  });

  it("seals what it opens and rejects foreign or truncated bytes", () => {
    const blob = sealBlob(SECRET, ARN, Buffer.from("key material"), { a: "1" });
    assert.deepEqual(blob.subarray(0, 4), Buffer.from("TBK\u0001", "latin1"));
    assert.equal(openBlob(SECRET, blob, { a: "1" }).toString(), "key material");
    assert.throws(() => openBlob(Buffer.alloc(32, 0x12), blob, { a: "1" }), CiphertextMismatch);
    assert.throws(() => blobKeyArn(Buffer.from("AQICAHh")), CiphertextMismatch);
    assert.throws(() => blobKeyArn(blob.subarray(0, 20)), CiphertextMismatch);
  });
});
