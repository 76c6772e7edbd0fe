// RFC 4648, RFC 4226 and RFC 6238 test vectors for the virtual MFA codec; expectations copied from the RFCs by hand.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Base32Error,
  base32Decode,
  base32Encode,
  hotp,
  totpAt,
  totpNow,
  totpStep,
  verifyTotp,
} from "../../src/mfa/totp.js";

// RFC 4648 section 10.
const BASE32_VECTORS: [string, string][] = [
  ["", ""],
  ["f", "MY======"],
  ["fo", "MZXQ===="],
  ["foo", "MZXW6==="],
  ["foob", "MZXW6YQ="],
  ["fooba", "MZXW6YTB"],
  ["foobar", "MZXW6YTBOI======"],
];

// The RFC 6238 Appendix B SHA-1 seed: the ASCII bytes "12345678901234567890", in base32.
const RFC_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("base32", () => {
  for (const [plain, encoded] of BASE32_VECTORS) {
    it(`decodes ${JSON.stringify(encoded)} (RFC 4648)`, () => {
      assert.equal(base32Decode(encoded).toString("latin1"), plain);
    });
    it(`encodes ${JSON.stringify(plain)} (RFC 4648)`, () => {
      assert.equal(base32Encode(Buffer.from(plain, "latin1")), encoded);
    });
  }

  it("accepts seeds without padding and in lower case, as authenticator apps show them", () => {
    assert.equal(base32Decode("MZXW6YTBOI").toString("latin1"), "foobar");
    assert.equal(base32Decode("mzxw6ytboi======").toString("latin1"), "foobar");
    assert.equal(base32Decode(RFC_SEED).toString("latin1"), "12345678901234567890");
  });

  it("rejects characters outside the alphabet without echoing the input", () => {
    for (const bad of ["MZXW6YT1", "MZXW6YT8", "MZXW 6YTB", "MZXW-6YTB"]) {
      assert.throws(
        () => base32Decode(bad),
        (error: unknown) => error instanceof Base32Error && !error.message.includes(bad),
      );
    }
  });

  it("rejects impossible lengths and misplaced padding", () => {
    assert.throws(() => base32Decode("M"), /cannot be 1 characters long/);
    assert.throws(() => base32Decode("MZX"), /cannot be 3 characters long/);
    assert.throws(() => base32Decode("MZXW6Y"), /cannot be 6 characters long/);
    assert.throws(() => base32Decode("MZ=XW6=="), /padding/);
    assert.throws(() => base32Decode("MZXW6=="), /multiple of 8/);
  });
});

describe("HOTP (RFC 4226 Appendix D)", () => {
  const expected = [
    "755224",
    "287082",
    "359152",
    "969429",
    "338314",
    "254676",
    "287922",
    "162583",
    "399871",
    "520489",
  ];
  expected.forEach((code, counter) => {
    it(`counter ${counter} gives ${code}`, () => {
      assert.equal(hotp(Buffer.from("12345678901234567890", "ascii"), counter), code);
    });
  });
});

describe("TOTP (RFC 6238 Appendix B, SHA-1)", () => {
  // [Unix time, T from the RFC table, the RFC's 8-digit TOTP]; 6 digits are the same value mod 10^6.
  const table: [number, number, string, string][] = [
    [59, 0x1, "94287082", "287082"],
    [1111111109, 0x23523ec, "07081804", "081804"],
    [1111111111, 0x23523ed, "14050471", "050471"],
    [1234567890, 0x273ef07, "89005924", "005924"],
    [2000000000, 0x3f940aa, "69279037", "279037"],
    [20000000000, 0x27bc86aa, "65353130", "353130"],
  ];
  for (const [seconds, step, eightDigits, sixDigits] of table) {
    it(`at ${seconds} s: step ${step}, code ${sixDigits}`, () => {
      assert.equal(totpStep(seconds * 1000), step);
      assert.equal(totpAt(RFC_SEED, step), sixDigits);
      assert.equal(totpNow(RFC_SEED, seconds * 1000), sixDigits);
      assert.equal(hotp(Buffer.from("12345678901234567890", "ascii"), step, 8), eightDigits);
    });
  }

  it("step boundaries fall on whole multiples of 30 s", () => {
    assert.equal(totpStep(29_999), 0);
    assert.equal(totpStep(30_000), 1);
    assert.equal(totpStep(59_999), 1);
    assert.equal(totpStep(60_000), 2);
  });
});

describe("verifyTotp", () => {
  const at = 1111111111 * 1000; // step 0x23523ED, code 050471 (RFC 6238)
  it("accepts the current code and returns its step", () => {
    assert.equal(verifyTotp(RFC_SEED, "050471", at), 0x23523ed);
  });
  it("accepts one step of drift either way by default", () => {
    // 081804 is the RFC's code for step 0x23523EC, one step earlier.
    assert.equal(verifyTotp(RFC_SEED, "081804", at), 0x23523ec);
    assert.equal(verifyTotp(RFC_SEED, "050471", at - 30_000), 0x23523ed);
  });
  it("refuses codes outside the window", () => {
    assert.equal(verifyTotp(RFC_SEED, "081804", at, 0), null);
    assert.equal(verifyTotp(RFC_SEED, "081804", at + 30_000), null);
    assert.equal(verifyTotp(RFC_SEED, "287082", at), null);
  });
  it("refuses anything that is not exactly six digits", () => {
    for (const bad of ["50471", "0504710", "05047a", " 050471", "", "05０471"]) {
      assert.equal(verifyTotp(RFC_SEED, bad, at), null, bad);
    }
  });
  it("does not go below step zero", () => {
    assert.equal(verifyTotp(RFC_SEED, "755224", 1000), 0);
  });
});
