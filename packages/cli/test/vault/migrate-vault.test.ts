// Migration between vaults: copy, verify, then delete the source — and a source left whole on any failure.
// (Keyring ⇄ file runs in keyring-vault.test.ts against a real Secret Service; here both ends are files.)
import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { FileVault } from "../../src/vault/file-vault.js";
import { forgetDerivedKeys } from "../../src/vault/key-derivation.js";
import { migrateVault } from "../../src/vault/migrate-vault.js";
import { fixedPassphrase } from "../../src/vault/passphrase-source.js";
import type { Vault } from "../../src/vault/vault.js";
import { CHEAP_SCRYPT, makeTempFolder, sampleKey } from "./fixtures/vault-samples.js";

let folder: { path: string; remove: () => Promise<void> };

function fileVault(name: string): FileVault {
  return new FileVault({
    path: join(folder.path, name),
    passphrase: fixedPassphrase(`pass-${name}`),
    kdf: CHEAP_SCRYPT,
  });
}

/** `inner`, except that `fail` decides per call whether a key write or a key read-back goes wrong. */
function faulty(inner: Vault, fault: { onSet?: (n: number) => boolean; corruptGet?: boolean }): Vault {
  let sets = 0;
  return {
    backend: inner.backend,
    location: inner.location,
    secrets: inner.secrets,
    keys: {
      list: () => inner.keys.list(),
      remove: (profile) => inner.keys.remove(profile),
      get: async (profile) => {
        const key = await inner.keys.get(profile);
        return fault.corruptGet && key ? { ...key, secretAccessKey: "mangled" } : key;
      },
      set: async (profile, key) => {
        sets += 1;
        if (fault.onSet?.(sets)) throw new Error("write failed (simulated)");
        await inner.keys.set(profile, key);
      },
    },
  };
}

async function seed(vault: Vault): Promise<void> {
  await vault.keys.set("alice", sampleKey());
  await vault.keys.set("bob", sampleKey({ accessKeyId: "AKIABOBBOBBOBBOBBOB1" }));
}

beforeEach(async () => {
  forgetDerivedKeys();
  folder = await makeTempFolder("migrate");
});
afterEach(() => folder.remove());

describe("vault migration", () => {
  it("moves every key and stored secret, then empties the source", async () => {
    const from = fileVault("a");
    const to = fileVault("b");
    await seed(from);
    const secret = {
      secret: "key passphrase",
      addedAt: "2026-01-01T00:00:00.000Z",
      label: "passphrase of k",
    };
    await from.secrets.set("rolesanywhere-key:abc", secret);
    assert.deepEqual(await migrateVault(from, to), { keys: 2, secrets: 1 });
    assert.deepEqual(await to.keys.list(), ["alice", "bob"]);
    assert.deepEqual(await to.keys.get("bob"), sampleKey({ accessKeyId: "AKIABOBBOBBOBBOBBOB1" }));
    assert.deepEqual(await to.secrets.get("rolesanywhere-key:abc"), secret);
    assert.deepEqual(await from.keys.list(), []);
    assert.deepEqual(await from.secrets.list(), []);
  });

  it("leaves the source whole when a write into the destination fails half-way", async () => {
    const from = fileVault("a");
    await seed(from);
    await assert.rejects(migrateVault(from, faulty(fileVault("b"), { onSet: (n) => n === 2 })), /simulated/);
    assert.deepEqual(await from.keys.list(), ["alice", "bob"]);
  });

  it("leaves the source whole when an item does not read back the same", async () => {
    const from = fileVault("a");
    await seed(from);
    await assert.rejects(
      migrateVault(from, faulty(fileVault("b"), { corruptGet: true })),
      /did not read back the same/,
    );
    assert.deepEqual(await from.keys.list(), ["alice", "bob"]);
  });

  it("refuses to replace a different key in the destination unless told to, before writing anything", async () => {
    const from = fileVault("a");
    const to = fileVault("b");
    await seed(from);
    await to.keys.set("bob", sampleKey({ accessKeyId: "AKIAOTHEROTHEROTHER1" }));
    await assert.rejects(migrateVault(from, to), /already holds other keys for: bob/);
    assert.deepEqual(await to.keys.list(), ["bob"]);
    assert.deepEqual(await from.keys.list(), ["alice", "bob"]);
    await migrateVault(from, to, { overwrite: true });
    assert.equal((await to.keys.get("bob"))?.accessKeyId, "AKIABOBBOBBOBBOBBOB1");
  });
});
