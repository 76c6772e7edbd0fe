// Choosing the backend: --backend / TOBIRA_BACKEND, and falling back to the file when no keyring answers —
// quickly, even when the D-Bus socket accepts connections and never replies.
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import { FileVault } from "../../src/vault/file-vault.js";
import { forgetDerivedKeys } from "../../src/vault/key-derivation.js";
import { probeKeyringTransport, unixSocketOfBusAddress } from "../../src/vault/keyring-probe.js";
import { openVault, requestedBackend } from "../../src/vault/open-vault.js";
import { fixedPassphrase } from "../../src/vault/passphrase-source.js";
import { KeyringUnavailableError } from "../../src/vault/vault-errors.js";
import { CHEAP_SCRYPT, makeTempFolder, sampleKey } from "./fixtures/vault-samples.js";

let folder: { path: string; remove: () => Promise<void> };
let stderr: string[];
const sink = { write: (text: string) => stderr.push(text) };

function envWith(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { HOME: folder.path, XDG_DATA_HOME: join(folder.path, "data"), ...extra };
}

/** A unix socket that accepts connections and never says a word: a wedged D-Bus daemon. */
async function silentSocket(path: string): Promise<Server & { clients: Socket[] }> {
  const clients: Socket[] = [];
  const server = Object.assign(
    createServer((socket) => clients.push(socket)),
    { clients },
  );
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return server;
}

beforeEach(async () => {
  forgetDerivedKeys();
  folder = await makeTempFolder("open-vault");
  stderr = [];
});
afterEach(() => folder.remove());

describe("choosing the vault backend", () => {
  it("reads --backend before TOBIRA_BACKEND and refuses unknown names", () => {
    assert.equal(requestedBackend("file", { TOBIRA_BACKEND: "keyring" }), "file");
    assert.equal(requestedBackend(undefined, { TOBIRA_BACKEND: "keyring" }), "keyring");
    assert.equal(requestedBackend(undefined, { TOBIRA_BACKEND: "auto" }), undefined);
    assert.equal(requestedBackend(undefined, {}), undefined);
    assert.throws(() => requestedBackend("vaultwarden", {}), UsageError);
    assert.throws(() => requestedBackend(undefined, { TOBIRA_BACKEND: "kwallet" }), /TOBIRA_BACKEND/);
  });

  it("opens the file at TOBIRA_VAULT_FILE when the file backend is asked for, without probing or a notice", async () => {
    const env = envWith({ TOBIRA_BACKEND: "file", TOBIRA_VAULT_FILE: join(folder.path, "my-vault") });
    const vault = await openVault({
      env,
      stderr: sink,
      passphrase: fixedPassphrase("pw"),
      kdf: CHEAP_SCRYPT,
    });
    assert.ok(vault instanceof FileVault);
    assert.equal(vault.location, join(folder.path, "my-vault"));
    assert.deepEqual(stderr, []);
  });

  it("defaults the file to $XDG_DATA_HOME/tobira/vault", async () => {
    const vault = await openVault({ env: envWith({}), backend: "file", passphrase: fixedPassphrase("pw") });
    assert.equal(vault.location, join(folder.path, "data", "tobira", "vault"));
  });

  it("falls back to the file with one line on stderr when there is no session bus", async () => {
    const env = envWith({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(folder.path, "no-such-bus")}` });
    const vault = await openVault({
      env,
      stderr: sink,
      passphrase: fixedPassphrase("pw"),
      kdf: CHEAP_SCRYPT,
    });
    assert.equal(vault.backend, "file");
    assert.equal(stderr.length, 1);
    assert.match(
      stderr[0]!,
      /^tobira: no OS keyring answered \(cannot reach the D-Bus session bus \(ENOENT\)\); using the encrypted file .*\/tobira\/vault\n$/,
    );
    await vault.keys.set("alice", sampleKey());
    assert.deepEqual(await vault.keys.list(), ["alice"]);
  });

  it("says there is no bus when neither DBUS_SESSION_BUS_ADDRESS nor a user bus exists", async () => {
    const result = await probeKeyringTransport(envWith({ XDG_RUNTIME_DIR: folder.path }), {
      platform: "linux",
    });
    assert.deepEqual(result, {
      ok: false,
      reason: "there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)",
    });
  });

  it("gives up on a bus that accepts and never answers, instead of hanging", async () => {
    const socketPath = join(folder.path, "wedged-bus");
    const server = await silentSocket(socketPath);
    try {
      const env = envWith({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath},guid=0123` });
      const vault = await openVault({
        env,
        stderr: sink,
        passphrase: fixedPassphrase("pw"),
        probeTimeoutMs: 300,
      });
      assert.equal(vault.backend, "file");
      assert.match(stderr.join(""), /the D-Bus session bus did not answer within 300 ms/);
      assert.ok(server.clients.length >= 1, "the probe did connect to the socket");
    } finally {
      for (const client of server.clients) client.destroy();
      server.close();
    }
  });

  it("fails with a clear error, not a fallback, when the keyring is asked for and does not answer", async () => {
    const env = envWith({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(folder.path, "gone")}` });
    await assert.rejects(openVault({ env, backend: "keyring", stderr: sink }), (error: unknown) => {
      assert.ok(error instanceof KeyringUnavailableError);
      assert.match(error.message, /the OS keyring is not available: cannot reach the D-Bus session bus/);
      assert.match(error.hint ?? "", /--backend file/);
      return true;
    });
    assert.deepEqual(stderr, []);
  });

  it("reads unix socket paths out of D-Bus addresses", () => {
    assert.equal(unixSocketOfBusAddress("unix:path=/tmp/dbus-XID8,guid=5d7f"), "/tmp/dbus-XID8");
    assert.equal(unixSocketOfBusAddress("unix:abstract=/tmp/dbus-abc,guid=1"), "\0/tmp/dbus-abc");
    assert.equal(
      unixSocketOfBusAddress("tcp:host=localhost,port=1;unix:path=/run/user/1000/bus"),
      "/run/user/1000/bus",
    );
    assert.equal(unixSocketOfBusAddress("unix:path=/tmp/a%20b"), "/tmp/a b");
    assert.equal(unixSocketOfBusAddress("tcp:host=localhost,port=1"), undefined);
  });
});
