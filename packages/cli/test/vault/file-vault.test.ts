// The encrypted-file backend: round trips, nothing readable on disk, modes, wrong passphrase, damage detection.
import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { newSalt, sealVaultFile } from "../../src/vault/file-format.js";
import { FileVault } from "../../src/vault/file-vault.js";
import { deriveVaultKey, forgetDerivedKeys } from "../../src/vault/key-derivation.js";
import { fixedPassphrase, type PassphraseSource } from "../../src/vault/passphrase-source.js";
import { VaultDamagedError, VaultPassphraseError } from "../../src/vault/vault-errors.js";
import {
  CHEAP_SCRYPT,
  legacySession,
  makeTempFolder,
  SAMPLE_ACCESS_KEY_ID,
  SAMPLE_SECRET,
  SECRET_PROFILE,
  sampleKey,
} from "./fixtures/vault-samples.js";

let folder: { path: string; remove: () => Promise<void> };
let vaultPath: string;

function vaultWith(passphrase: PassphraseSource | string = "correct horse battery staple"): FileVault {
  return new FileVault({
    path: vaultPath,
    passphrase: typeof passphrase === "string" ? fixedPassphrase(passphrase) : passphrase,
    kdf: CHEAP_SCRYPT,
    enforceFolderMode: true,
  });
}

/** A passphrase source that plays a person typing these answers in turn, and counts the asks. */
function typedPassphrases(answers: string[]): PassphraseSource & { asked: number } {
  const source = {
    interactive: true,
    asked: 0,
    async obtain() {
      const answer = answers[source.asked];
      source.asked += 1;
      if (answer === undefined) throw new Error("asked once too often");
      return answer;
    },
  };
  return source;
}

beforeEach(async () => {
  forgetDerivedKeys();
  folder = await makeTempFolder("file-vault");
  vaultPath = join(folder.path, "data", "tobira", "vault");
});
afterEach(() => folder.remove());

describe("file vault", () => {
  it("stores, lists, reads and removes long-term keys", async () => {
    const vault = vaultWith();
    assert.deepEqual(await vault.keys.list(), []);
    assert.equal(await vault.keys.get("alice"), undefined);
    await vault.keys.set("alice", sampleKey());
    await vault.keys.set("bob", sampleKey({ accessKeyId: "AKIABOBBOBBOBBOBBOB1", userName: "bob" }));
    forgetDerivedKeys();
    const reopened = vaultWith();
    assert.deepEqual(await reopened.keys.list(), ["alice", "bob"]);
    assert.deepEqual(await reopened.keys.get("alice"), sampleKey());
    assert.equal((await reopened.keys.get("bob"))?.userName, "bob");
    assert.equal(await reopened.keys.remove("alice"), true);
    assert.equal(await reopened.keys.remove("alice"), false);
    assert.deepEqual(await reopened.keys.list(), ["bob"]);
  });

  it("keeps stored secrets beside the keys, each readable only through the passphrase", async () => {
    const vault = vaultWith();
    const secret = {
      secret: "key passphrase",
      addedAt: "2026-01-01T00:00:00.000Z",
      label: "passphrase of k",
    };
    await vault.keys.set("alice", sampleKey());
    await vault.secrets.set("rolesanywhere-key:abc", secret);
    forgetDerivedKeys();
    const reopened = vaultWith();
    assert.deepEqual(await reopened.secrets.list(), ["rolesanywhere-key:abc"]);
    assert.deepEqual(await reopened.secrets.get("rolesanywhere-key:abc"), secret);
    assert.deepEqual(await reopened.keys.list(), ["alice"]);
    assert.equal(await reopened.secrets.remove("rolesanywhere-key:abc"), true);
    assert.equal(await reopened.secrets.remove("rolesanywhere-key:abc"), false);
    assert.deepEqual(await reopened.secrets.list(), []);
    assert.deepEqual(await reopened.keys.list(), ["alice"]);
  });

  it("opens a format-1 file that still holds sessions, ignores them, and drops them at the next write", async () => {
    // What a tobira that kept sessions in the vault wrote: the same header, a body with a `sessions` object.
    const passphrase = "correct horse battery staple";
    const salt = newSalt();
    const key = await deriveVaultKey(passphrase, salt, CHEAP_SCRYPT);
    const body = {
      format: 1,
      keys: { [SECRET_PROFILE]: sampleKey() },
      sessions: { "cache-key-1": legacySession() },
    };
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(folder.path, "data", "tobira"), { recursive: true, mode: 0o700 });
    await writeFile(
      vaultPath,
      sealVaultFile(Buffer.from(JSON.stringify(body)), { kdf: CHEAP_SCRYPT, salt, check: key.check }, key),
      { mode: 0o600 },
    );
    forgetDerivedKeys();
    const vault = vaultWith(passphrase);
    assert.deepEqual(await vault.keys.list(), [SECRET_PROFILE]);
    assert.deepEqual(await vault.keys.get(SECRET_PROFILE), sampleKey());
    await vault.keys.set("bob", sampleKey({ accessKeyId: "AKIABOBBOBBOBBOBBOB1" }));
    forgetDerivedKeys();
    assert.deepEqual(await vaultWith(passphrase).keys.list(), ["bob", SECRET_PROFILE]);
    const { openVaultBody, parseVaultFile } = await import("../../src/vault/file-format.js");
    const rewritten = JSON.parse(
      openVaultBody(parseVaultFile(await readFile(vaultPath)), key)
        .toString("utf8")
        .trimEnd(),
    );
    assert.deepEqual(Object.keys(rewritten).sort(), ["format", "keys", "secrets"]);
  });

  it("keeps profile names that look like object internals as plain names", async () => {
    const vault = vaultWith();
    await vault.keys.set("__proto__", sampleKey());
    await vault.keys.set("constructor", sampleKey());
    forgetDerivedKeys();
    assert.deepEqual(await vaultWith().keys.list(), ["__proto__", "constructor"]);
    assert.deepEqual(await vaultWith().keys.get("__proto__"), sampleKey());
  });

  it("leaves no profile name, key, secret or user name readable in the file", async () => {
    const vault = vaultWith();
    await vault.keys.set(SECRET_PROFILE, sampleKey({ userName: "ops-person" }));
    const bytes = await readFile(vaultPath);
    for (const needle of [SECRET_PROFILE, SAMPLE_ACCESS_KEY_ID, SAMPLE_SECRET, "ops-person"]) {
      for (const encoding of ["utf8", "utf16le", "base64", "hex"] as const) {
        assert.equal(
          bytes.includes(Buffer.from(needle).toString(encoding)),
          false,
          `${needle} as ${encoding}`,
        );
      }
      assert.equal(bytes.includes(Buffer.from(needle, "utf16le")), false);
    }
  });

  it("writes the file 0600 inside a 0700 folder, and leaves no temp file behind", async () => {
    await vaultWith().keys.set("alice", sampleKey());
    assert.equal((await stat(vaultPath)).mode & 0o777, 0o600);
    assert.equal((await stat(join(folder.path, "data", "tobira"))).mode & 0o777, 0o700);
    const { readdir } = await import("node:fs/promises");
    assert.deepEqual(await readdir(join(folder.path, "data", "tobira")), ["vault"]);
  });

  it("asks for the passphrase once per process, not once per operation", async () => {
    const creating = typedPassphrases(["first"]);
    await vaultWith(creating).keys.set("alice", sampleKey());
    await vaultWith(creating).keys.set("bob", sampleKey());
    await vaultWith(creating).keys.list();
    assert.equal(creating.asked, 1);
  });

  it("refuses a wrong passphrase with a clear error and changes nothing", async () => {
    await vaultWith("right one").keys.set("alice", sampleKey());
    const before = await readFile(vaultPath);
    forgetDerivedKeys();
    const wrong = vaultWith("wrong one");
    await assert.rejects(wrong.keys.list(), (error: unknown) => {
      assert.ok(error instanceof VaultPassphraseError);
      assert.match((error as Error).message, /wrong passphrase for the vault file .*vault/);
      assert.equal((error as Error).message.includes("wrong one"), false);
      return true;
    });
    await assert.rejects(wrong.keys.set("mallory", sampleKey()), VaultPassphraseError);
    assert.deepEqual(await readFile(vaultPath), before);
  });

  it("gives a person three tries at the passphrase", async () => {
    await vaultWith("right one").keys.set("alice", sampleKey());
    forgetDerivedKeys();
    const typist = typedPassphrases(["nope", "still nope", "right one"]);
    assert.deepEqual(await vaultWith(typist).keys.list(), ["alice"]);
    assert.equal(typist.asked, 3);
    forgetDerivedKeys();
    const hopeless = typedPassphrases(["a", "b", "c", "d"]);
    await assert.rejects(vaultWith(hopeless).keys.list(), VaultPassphraseError);
    assert.equal(hopeless.asked, 3);
  });

  describe("a damaged file is reported and never overwritten", () => {
    const regions: Array<[string, (length: number) => number]> = [
      ["magic", () => 2],
      ["format version", () => 8],
      ["KDF id", () => 9],
      ["scrypt log2N", () => 10],
      ["scrypt r", () => 11],
      ["scrypt p", () => 12],
      ["salt length", () => 13],
      ["salt", () => 30],
      ["key check", () => 50],
      ["nonce", () => 66],
      ["ciphertext start", () => 74],
      ["ciphertext middle", (length) => Math.floor(length / 2)],
      ["tag", (length) => length - 3],
    ];
    for (const [region, offsetOf] of regions) {
      it(`when a byte of the ${region} changes`, async () => {
        await vaultWith().keys.set(SECRET_PROFILE, sampleKey());
        const good = await readFile(vaultPath);
        const bad = Buffer.from(good);
        const offset = offsetOf(bad.length);
        bad[offset]! ^= 0x01;
        await writeFile(vaultPath, bad);
        const vault = vaultWith();
        for (const attempt of [() => vault.keys.list(), () => vault.keys.set("new", sampleKey())]) {
          await assert.rejects(attempt(), (error: unknown) => {
            assert.ok(
              error instanceof VaultDamagedError || error instanceof VaultPassphraseError,
              String(error),
            );
            assert.match((error as Error).message, /damaged/);
            return true;
          });
        }
        assert.deepEqual(await readFile(vaultPath), bad, "the damaged file is left as it was");
      });
    }

    for (const [label, lengthOf] of [
      ["to nothing", () => 0],
      ["inside the magic", () => 5],
      ["inside the header", () => 60],
      ["right after the header", () => 74],
      ["by the last byte", (length: number) => length - 1],
      ["by the tag", (length: number) => length - 16],
    ] as Array<[string, (length: number) => number]>) {
      it(`when the file is cut ${label}`, async () => {
        await vaultWith().keys.set(SECRET_PROFILE, sampleKey());
        const good = await readFile(vaultPath);
        const cut = good.subarray(0, lengthOf(good.length));
        await writeFile(vaultPath, cut);
        const vault = vaultWith();
        await assert.rejects(vault.keys.get(SECRET_PROFILE), VaultDamagedError);
        await assert.rejects(vault.keys.set("bob", sampleKey()), VaultDamagedError);
        assert.deepEqual(await readFile(vaultPath), cut);
      });
    }
  });
});
