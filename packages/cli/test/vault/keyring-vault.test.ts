// The keyring backend against a REAL Secret Service (gnome-keyring in a private D-Bus session; see .ci/run).
// Without one this file skips, saying why — unless TOBIRA_TEST_KEYRING=1, which CI sets: then it fails.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { findCredentialsAsync } from "@napi-rs/keyring";
import { FileVault } from "../../src/vault/file-vault.js";
import { forgetDerivedKeys } from "../../src/vault/key-derivation.js";
import type { KeyringVault } from "../../src/vault/keyring-vault.js";
import { migrateVault } from "../../src/vault/migrate-vault.js";
import { openKeyringVault, openVault } from "../../src/vault/open-vault.js";
import { fixedPassphrase } from "../../src/vault/passphrase-source.js";
import type { Vault } from "../../src/vault/vault.js";
import {
  CHEAP_SCRYPT,
  legacySession,
  makeTempFolder,
  SECRET_PROFILE,
  sampleKey,
} from "./fixtures/vault-samples.js";

const service = `tobira-test-${randomBytes(4).toString("hex")}`;
const required = process.env.TOBIRA_TEST_KEYRING === "1";
let folder: { path: string; remove: () => Promise<void> };

function testEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_DATA_HOME: join(folder.path, "data"),
    TOBIRA_VAULT_FILE: join(folder.path, "vault"),
  };
}

async function keyringAnswers(): Promise<string | undefined> {
  const scratch = await makeTempFolder("keyring-probe");
  try {
    await openKeyringVault({ env: { ...process.env, XDG_DATA_HOME: scratch.path }, keyringService: service });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await scratch.remove();
  }
}

const unavailable = await keyringAnswers();
const skip =
  unavailable === undefined || required
    ? false
    : `no Secret Service answers (${unavailable}); run under dbus-run-session with gnome-keyring, as .ci/run does`;

async function accountsInService(): Promise<string[]> {
  return (await findCredentialsAsync(service)).map((credential) => credential.account).sort();
}

async function openTestKeyring(): Promise<KeyringVault> {
  return openKeyringVault({ env: testEnv(), keyringService: service });
}

function fileVault(): FileVault {
  return new FileVault({
    path: join(folder.path, "vault"),
    passphrase: fixedPassphrase("migrate"),
    kdf: CHEAP_SCRYPT,
  });
}

describe("keyring vault (real Secret Service)", { skip }, () => {
  before(() => {
    if (required && unavailable !== undefined) {
      throw new Error(`TOBIRA_TEST_KEYRING=1 but no Secret Service answers: ${unavailable}`);
    }
  });
  beforeEach(async () => {
    forgetDerivedKeys();
    folder = await makeTempFolder("keyring-vault");
  });
  afterEach(async () => {
    const vault = await openTestKeyring();
    for (const profile of await vault.keys.list()) await vault.keys.remove(profile);
    for (const { account } of await findCredentialsAsync(service)) {
      const { AsyncEntry } = await import("@napi-rs/keyring");
      await new AsyncEntry(service, account, { linux: { store: "secret-service" } }).deleteCredential();
    }
    await folder.remove();
  });

  it("stores, lists, reads and removes keys, one keyring item each plus the index", async () => {
    const vault = await openTestKeyring();
    assert.equal(vault.backend, "keyring");
    assert.equal(await vault.keys.get("alice"), undefined);
    await vault.keys.set("alice", sampleKey());
    await vault.keys.set(SECRET_PROFILE, sampleKey({ userName: "ops" }));
    assert.deepEqual(await accountsInService(), ["index", "key:alice", `key:${SECRET_PROFILE}`]);
    const reopened = await openTestKeyring();
    assert.deepEqual(await reopened.keys.list(), ["alice", SECRET_PROFILE]);
    assert.deepEqual(await reopened.keys.get("alice"), sampleKey());
    assert.equal((await reopened.keys.get(SECRET_PROFILE))?.userName, "ops");
    assert.equal(await reopened.keys.remove("alice"), true);
    assert.equal(await reopened.keys.remove("alice"), false);
    assert.deepEqual(await reopened.keys.list(), [SECRET_PROFILE]);
    assert.deepEqual(await accountsInService(), ["index", `key:${SECRET_PROFILE}`]);
  });

  it("keeps a stored secret as one item of its own, listed in the index", async () => {
    const vault = await openTestKeyring();
    const secret = { secret: "key passphrase", addedAt: "2026-01-01T00:00:00.000Z" };
    await vault.secrets.set("rolesanywhere-key:abc", secret);
    assert.deepEqual(await accountsInService(), ["index", "secret:rolesanywhere-key:abc"]);
    const reopened = await openTestKeyring();
    assert.deepEqual(await reopened.secrets.list(), ["rolesanywhere-key:abc"]);
    assert.deepEqual(await reopened.secrets.get("rolesanywhere-key:abc"), secret);
    assert.equal(await reopened.secrets.remove("rolesanywhere-key:abc"), true);
    assert.deepEqual(await accountsInService(), ["index"]);
  });

  it("reads an index that still lists sessions and erases those items at the next write", async () => {
    // What a tobira that kept sessions in the keyring left: a session item and an index naming it.
    const { AsyncEntry } = await import("@napi-rs/keyring");
    const item = (account: string) =>
      new AsyncEntry(service, account, { linux: { store: "secret-service" } });
    const json = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8");
    await item("key:alice").setSecret(json(sampleKey()));
    await item("session:k1").setSecret(json(legacySession()));
    await item("index").setSecret(
      json({ format: 1, keys: ["alice"], sessions: [{ cacheKey: "k1", profile: "switch" }] }),
    );
    const vault = await openTestKeyring();
    assert.deepEqual(await vault.keys.list(), ["alice"]);
    assert.deepEqual(await vault.keys.get("alice"), sampleKey());
    await vault.keys.set("bob", sampleKey());
    assert.deepEqual(await accountsInService(), ["index", "key:alice", "key:bob"]);
  });

  it("keeps every key when three processes add keys at once", async () => {
    const writer = fileURLToPath(new URL("./fixtures/keyring-writer.ts", import.meta.url));
    const runs = ["p1", "p2", "p3"].map(
      (prefix) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ["--import", "tsx", writer, prefix, "3"], {
            env: { ...testEnv(), TOBIRA_TEST_KEYRING_SERVICE: service },
            stdio: "inherit",
          });
          child.on("exit", resolve);
        }),
    );
    assert.deepEqual(await Promise.all(runs), [0, 0, 0]);
    const names = await (await openTestKeyring()).keys.list();
    assert.deepEqual(names, ["p1-0", "p1-1", "p1-2", "p2-0", "p2-1", "p2-2", "p3-0", "p3-1", "p3-2"]);
  });

  it("migrates file → keyring → file, verifying and then emptying the source", async () => {
    const file = fileVault();
    await file.keys.set("alice", sampleKey());
    await file.keys.set("bob", sampleKey({ accessKeyId: "AKIABOBBOBBOBBOBBOB1" }));
    const secret = { secret: "key passphrase", addedAt: "2026-01-01T00:00:00.000Z" };
    await file.secrets.set("rolesanywhere-key:abc", secret);
    const keyring = await openTestKeyring();
    assert.deepEqual(await migrateVault(file, keyring), { keys: 2, secrets: 1 });
    assert.deepEqual(await keyring.keys.list(), ["alice", "bob"]);
    assert.deepEqual(await keyring.secrets.get("rolesanywhere-key:abc"), secret);
    assert.deepEqual(await file.keys.list(), []);
    assert.deepEqual(await file.secrets.list(), []);

    assert.deepEqual(await migrateVault(keyring, file), { keys: 2, secrets: 1 });
    assert.deepEqual(await file.secrets.get("rolesanywhere-key:abc"), secret);
    assert.deepEqual(await file.keys.get("bob"), sampleKey({ accessKeyId: "AKIABOBBOBBOBBOBBOB1" }));
    assert.deepEqual(await keyring.keys.list(), []);
    assert.deepEqual(await accountsInService(), ["index"]);
  });

  it("leaves the keyring intact when writing into the file fails half-way", async () => {
    const keyring = await openTestKeyring();
    await keyring.keys.set("alice", sampleKey());
    await keyring.keys.set("bob", sampleKey());
    const file = fileVault();
    let writes = 0;
    const failing: Vault = {
      ...file,
      backend: "file",
      location: file.location,
      keys: {
        ...file.keys,
        set: async (profile, key) => {
          writes += 1;
          if (writes === 2) throw new Error("disk full (simulated)");
          await file.keys.set(profile, key);
        },
      },
    };
    await assert.rejects(migrateVault(keyring, failing), /disk full/);
    assert.deepEqual(await keyring.keys.list(), ["alice", "bob"]);
    assert.deepEqual(await keyring.keys.get("bob"), sampleKey());
  });

  it("is the default when it answers, and the file stays the default once it holds the keys", async () => {
    const env = { ...testEnv() };
    const withKeyring = await openVault({ env, stderr: process.stderr, keyringService: service });
    assert.equal(withKeyring.backend, "keyring");
    // A vault file exists and the keyring holds nothing of ours: keys added while no keyring answered stay found.
    await fileVault().keys.set("alice", sampleKey());
    const chosen = await openVault({ env, keyringService: service, passphrase: fixedPassphrase("migrate") });
    assert.equal(chosen.backend, "file");
    assert.deepEqual(await chosen.keys.list(), ["alice"]);
    await (await openTestKeyring()).keys.set("bob", sampleKey());
    assert.equal((await openVault({ env, keyringService: service })).backend, "keyring");
  });
});

// A D-Bus session bus with no Secret Service on it: the binding must fail fast and tobira fall back to the file.
const dbusRunSession = spawnSync("dbus-run-session", ["--version"]).status === 0;
describe("keyring on a bus without a Secret Service", {
  skip: dbusRunSession ? false : "dbus-run-session is not installed (Debian package dbus-daemon)",
}, () => {
  let scratch: { path: string; remove: () => Promise<void> };
  before(async () => {
    scratch = await makeTempFolder("bare-bus");
  });
  after(() => scratch.remove());

  it("falls back to the file with a notice naming the missing service", () => {
    const config = join(scratch.path, "bare-bus.conf");
    writeFileSync(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${scratch.path}</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`,
    );
    const script = [
      `import { openVault } from ${JSON.stringify(fileURLToPath(new URL("../../src/vault/open-vault.ts", import.meta.url)))};`,
      "const vault = await openVault({ env: process.env });",
      "console.log(vault.backend);",
    ].join("\n");
    const scriptPath = join(scratch.path, "choose.mts");
    writeFileSync(scriptPath, script);
    const run = spawnSync(
      "dbus-run-session",
      ["--config-file", config, "--", process.execPath, "--import", "tsx", scriptPath],
      {
        env: { ...process.env, XDG_DATA_HOME: join(scratch.path, "data"), TOBIRA_BACKEND: "" },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), "file");
    assert.match(
      run.stderr,
      /tobira: no OS keyring answered \(.*org\.freedesktop\.secrets.*\); using the encrypted file/,
    );
  });
});
