import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LEAF_PASSPHRASE } from "../../../sandbox/test/rolesanywhere/pki.js";
import { BUILT } from "../fixtures/sandbox-user.js";
import { identityArgs, type RaMachine, SERVER_ROLE, startRaMachine } from "./ra-fixture.js";

const VAULT_PASSPHRASE = "vault passphrase for the test";

describe("an encrypted key's passphrase kept in tobira's vault", {
  skip: !BUILT && "needs npm run build",
}, () => {
  let m: RaMachine;
  let vaultEnv: NodeJS.ProcessEnv;
  before(async () => {
    m = await startRaMachine();
    vaultEnv = {
      TOBIRA_BACKEND: "file",
      TOBIRA_VAULT_FILE: join(m.home, "vault", "tobira.vault"),
      TOBIRA_VAULT_PASSPHRASE: VAULT_PASSPHRASE,
    };
  });
  after(() => m.dispose());

  const keyPath = () => m.pki.encryptedLeaf.keyPath;
  const issue = (extra: string[], env: NodeJS.ProcessEnv = {}) =>
    m.tobira(
      [
        "rolesanywhere",
        "credential-process",
        ...identityArgs(m, { certificatePath: m.pki.encryptedLeaf.certificatePath, keyPath: keyPath() }),
        "--no-cache",
        ...extra,
      ],
      { ...vaultEnv, ...env },
    );

  it("before anything is stored, the vault source says how to store it", async () => {
    const run = await issue(["--passphrase-source", "vault"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /holds no passphrase for the private key .*web-3\.key/);
    assert.match(run.stderr, /tobira rolesanywhere store-passphrase --private-key .*web-3\.key/);
  });

  it("store-passphrase refuses one that does not decrypt the key, and stores nothing", async () => {
    const wrong = await m.tobira(["rolesanywhere", "store-passphrase", "--private-key", keyPath(), "--env"], {
      ...vaultEnv,
      TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE: "not it",
    });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /wrong passphrase\?/);
    assert.ok(!wrong.stderr.includes("not it"));
    const plain = await m.tobira(
      ["rolesanywhere", "store-passphrase", "--private-key", m.pki.rsaLeaf.keyPath, "--env"],
      { ...vaultEnv, TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE: "x" },
    );
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /is not encrypted/);
  });

  it("stores it sealed in the vault; the signer reads it from there with no passphrase in the environment", async () => {
    const stored = await m.tobira(
      ["rolesanywhere", "store-passphrase", "--private-key", keyPath(), "--env", "--json"],
      { ...vaultEnv, TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE: LEAF_PASSPHRASE },
    );
    assert.equal(stored.code, 0, stored.stderr);
    const report = JSON.parse(stored.stdout) as { stored: boolean; backend: string; name: string };
    assert.equal(report.stored, true);
    assert.equal(report.backend, "file");
    assert.match(report.name, /^rolesanywhere-key:[0-9a-f]{64}$/);
    assert.ok(!readFileSync(vaultEnv.TOBIRA_VAULT_FILE!).includes(LEAF_PASSPHRASE), "sealed, not in clear");

    const run = await issue(["--passphrase-source", "vault"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /"Version":1,"AccessKeyId":"ASIA/);
    // Without the vault's own passphrase the vault cannot be opened, so neither can the key.
    const locked = await issue(["--passphrase-source", "vault"], { TOBIRA_VAULT_PASSPHRASE: "wrong" });
    assert.equal(locked.code, 1);
    const again = await m.tobira(["rolesanywhere", "store-passphrase", "--private-key", keyPath(), "--env"], {
      ...vaultEnv,
      TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE: LEAF_PASSPHRASE,
    });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already holds a passphrase .*--force/s);
  });

  it("follows the key's bytes, not its path; a profile names the source; forget-passphrase removes it", async () => {
    const dir = mkdtempSync(join(m.home, "moved-"));
    const moved = join(dir, "server.key");
    copyFileSync(keyPath(), moved);
    mkdirSync(join(m.home, ".aws"), { recursive: true });
    writeFileSync(
      join(m.home, ".aws", "config"),
      [
        "[profile web-3]",
        `tobira_rolesanywhere_certificate = ${m.pki.encryptedLeaf.certificatePath}`,
        `tobira_rolesanywhere_private_key = ${moved}`,
        `tobira_rolesanywhere_trust_anchor_arn = ${m.anchorArn}`,
        `tobira_rolesanywhere_profile_arn = ${m.profileArn}`,
        `tobira_rolesanywhere_role_arn = ${SERVER_ROLE}`,
        "tobira_rolesanywhere_passphrase_source = vault",
        "",
      ].join("\n"),
    );
    const viaProfile = await m.tobira(["export", "web-3", "--format", "json"], {
      ...vaultEnv,
      TOBIRA_CACHE_DIR: join(dir, "cache"),
    });
    assert.equal(viaProfile.code, 0, viaProfile.stderr);
    assert.match(viaProfile.stdout, /ASIA/);

    const forgot = await m.tobira(
      ["rolesanywhere", "forget-passphrase", "--private-key", moved, "--json"],
      vaultEnv,
    );
    assert.equal(forgot.code, 0, forgot.stderr);
    assert.equal((JSON.parse(forgot.stdout) as { removed: boolean }).removed, true);
    const gone = await issue(["--passphrase-source", "vault"]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /holds no passphrase/);
  });

  it("an unknown passphrase source is refused", async () => {
    const run = await issue(["--passphrase-source", "argv"]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /neither environment nor vault/);
  });
});
