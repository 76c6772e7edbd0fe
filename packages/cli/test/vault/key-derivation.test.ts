// The vault key comes from scrypt as RFC 7914 defines it; checked against the RFC's own test vector.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_SCRYPT, deriveVaultKey } from "../../src/vault/key-derivation.js";

describe("vault key derivation", () => {
  it("matches RFC 7914 section 12: scrypt('password', 'NaCl', N=1024, r=8, p=16)", async () => {
    const key = await deriveVaultKey("password", Buffer.from("NaCl"), { log2N: 10, r: 8, p: 16 });
    // First 32 of the RFC's 64 output bytes: the AES key.
    const expected = Buffer.from("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162", "hex");
    assert.deepEqual(key.encryptionKey, expected);
    assert.equal(key.check.length, 16);
  });

  it("defaults to OWASP's scrypt floor: N=2^17, r=8, p=1", () => {
    assert.deepEqual(DEFAULT_SCRYPT, { log2N: 17, r: 8, p: 1 });
  });

  it("gives the same key for the same passphrase typed in composed or decomposed Unicode", async () => {
    const salt = Buffer.alloc(32, 1);
    const composed = await deriveVaultKey("tobira-\u00e9", salt, { log2N: 10, r: 8, p: 1 });
    const decomposed = await deriveVaultKey("tobira-e\u0301", salt, { log2N: 10, r: 8, p: 1 });
    assert.deepEqual(composed.encryptionKey, decomposed.encryptionKey);
  });
});
