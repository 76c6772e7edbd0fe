// Byte-exact checks of the vault file header, written by hand from the layout in src/vault/file-format.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  HEADER_LENGTH,
  openVaultBody,
  parseVaultFile,
  sealVaultFile,
  VaultFormatProblem,
} from "../../src/vault/file-format.js";
import type { VaultKey } from "../../src/vault/key-derivation.js";

const salt = Buffer.alloc(32, 0xa5);
const key: VaultKey = { encryptionKey: Buffer.alloc(32, 0x11), check: Buffer.alloc(16, 0xc3) };
const kdf = { log2N: 17, r: 8, p: 1 };

// "TBRVAULT", version 1, scrypt (1), log2N 17 (0x11), r 8, p 1, salt length 32 (0x20), then salt and check.
const expectedHeadStart = Buffer.concat([
  Buffer.from([0x54, 0x42, 0x52, 0x56, 0x41, 0x55, 0x4c, 0x54, 0x01, 0x01, 0x11, 0x08, 0x01, 0x20]),
  Buffer.alloc(32, 0xa5),
  Buffer.alloc(16, 0xc3),
]);

describe("vault file format", () => {
  it("writes the header byte for byte, then a 12-byte nonce, a padded body and a 16-byte tag", () => {
    const file = sealVaultFile(Buffer.from('{"format":1}'), { kdf, salt, check: key.check }, key);
    assert.equal(HEADER_LENGTH, 74);
    assert.deepEqual(file.subarray(0, 62), expectedHeadStart);
    // 12 bytes of body pad to one 1024-byte block.
    assert.equal(file.length, 74 + 1024 + 16);
  });

  it("uses a fresh nonce on every write", () => {
    const a = sealVaultFile(Buffer.from("same"), { kdf, salt, check: key.check }, key);
    const b = sealVaultFile(Buffer.from("same"), { kdf, salt, check: key.check }, key);
    assert.notDeepEqual(a.subarray(62, 74), b.subarray(62, 74));
    assert.notDeepEqual(a.subarray(74), b.subarray(74));
  });

  it("reads back the header fields and the body", () => {
    const file = sealVaultFile(Buffer.from('{"hello":"vault"}'), { kdf, salt, check: key.check }, key);
    const parsed = parseVaultFile(file);
    assert.deepEqual(parsed.header.kdf, kdf);
    assert.deepEqual(parsed.header.salt, salt);
    assert.deepEqual(parsed.header.check, key.check);
    assert.equal(openVaultBody(parsed, key).toString("utf8").trimEnd(), '{"hello":"vault"}');
  });

  it("refuses a file that is not a vault, a newer version, and out-of-range scrypt costs", () => {
    const good = sealVaultFile(Buffer.from("{}"), { kdf, salt, check: key.check }, key);
    const cases: Array<[string, (b: Buffer) => void, RegExp]> = [
      ["magic", (b) => b.write("NOTVAULT", 0, "ascii"), /does not start like a tobira vault/],
      ["version", (b) => (b[8] = 2), /unknown format version 2/],
      ["kdf", (b) => (b[9] = 7), /unknown key derivation 7/],
      ["log2N", (b) => (b[10] = 40), /out of range/],
      ["p", (b) => (b[12] = 0), /out of range/],
      ["salt length", (b) => (b[13] = 16), /salt length/],
    ];
    for (const [field, damage, message] of cases) {
      const bytes = Buffer.from(good);
      damage(bytes);
      assert.throws(
        () => parseVaultFile(bytes),
        (error: unknown) =>
          error instanceof VaultFormatProblem && error.kind === "damaged" && message.test(error.message),
        field,
      );
    }
  });

  it("tells a wrong key (check mismatch) from a damaged body (tag failure)", () => {
    const file = sealVaultFile(Buffer.from("{}"), { kdf, salt, check: key.check }, key);
    const otherKey: VaultKey = { encryptionKey: Buffer.alloc(32, 0x22), check: Buffer.alloc(16, 0x99) };
    assert.throws(
      () => openVaultBody(parseVaultFile(file), otherKey),
      (error: unknown) => error instanceof VaultFormatProblem && error.kind === "wrong-key",
    );
    const altered = Buffer.from(file);
    altered[HEADER_LENGTH + 3]! ^= 0x01;
    assert.throws(
      () => openVaultBody(parseVaultFile(altered), key),
      (error: unknown) => error instanceof VaultFormatProblem && error.kind === "damaged",
    );
  });
});
