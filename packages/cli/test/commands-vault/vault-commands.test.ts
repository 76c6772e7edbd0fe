// add / list / remove / clear / vault migrate as a user runs them, on the file backend, as real processes, with
// the session cache the credential commands fill. Every captured output is scanned for the secrets involved.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { FileSessionCache } from "../../src/credentials/session-cache-file.js";
import { FileVault } from "../../src/vault/file-vault.js";
import { forgetDerivedKeys } from "../../src/vault/key-derivation.js";
import { fixedPassphrase } from "../../src/vault/passphrase-source.js";
import {
  CHEAP_SCRYPT,
  makeTempFolder,
  SAMPLE_ACCESS_KEY_ID,
  SAMPLE_ROLE_ARN,
  SAMPLE_SECRET,
  SAMPLE_SESSION_TOKEN,
  SECRET_PROFILE,
} from "../vault/fixtures/vault-samples.js";

const cli = fileURLToPath(new URL("./fixtures/vault-cli.ts", import.meta.url));
const PASSPHRASE = "command test passphrase";
let folder: { path: string; remove: () => Promise<void> };
let vaultPath: string;
const secrets = [SAMPLE_SECRET, SAMPLE_SESSION_TOKEN, PASSPHRASE, "temporarySecretExample0123456789abcdefgh"];

function tobira(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, ["--import", "tsx", cli, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: folder.path,
      XDG_DATA_HOME: join(folder.path, "data"),
      TOBIRA_BACKEND: "file",
      TOBIRA_VAULT_FILE: vaultPath,
      TOBIRA_VAULT_PASSPHRASE: PASSPHRASE,
      TOBIRA_CACHE_DIR: join(folder.path, "cache"),
      TOBIRA_RUNTIME_DIR: join(folder.path, "run"),
      ...env,
    },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const secret of secrets) {
    assert.equal(run.stdout.includes(secret), false, `stdout of ${args.join(" ")} holds a secret`);
    assert.equal(run.stderr.includes(secret), false, `stderr of ${args.join(" ")} holds a secret`);
  }
  return run;
}

/** The session cache the commands see (as exec, export and credential-process fill it). */
function sessionCache(): FileSessionCache {
  return new FileSessionCache({ cacheDir: join(folder.path, "cache"), keyDir: join(folder.path, "run") });
}

/** Caches a session as the credential path does: `profile` made it, from `sourceProfile`'s long-term key. */
async function cacheSession(
  cacheKey: string,
  fields: { profile: string; sourceProfile: string; kind?: string; expiresAt?: string },
): Promise<void> {
  const expiresAt = fields.expiresAt ?? "2030-01-01T00:00:00.000Z";
  await sessionCache().put(cacheKey, {
    expiresAt,
    credentials: {
      accessKeyId: "ASIAEXAMPLETEMPKEY01",
      secretAccessKey: "temporarySecretExample0123456789abcdefgh",
      sessionToken: SAMPLE_SESSION_TOKEN,
      expiration: expiresAt,
    },
    meta: {
      kind: fields.kind ?? "assume-role",
      profile: fields.profile,
      ...(fields.kind === "session-token" ? {} : { roleArn: SAMPLE_ROLE_ARN }),
      sourceProfile: fields.sourceProfile,
      forProfile: fields.profile,
    },
  });
}

/** The cache's record of which access key a profile has (no credentials: not a session). */
async function cacheSourceRecord(cacheKey: string, profile: string): Promise<void> {
  await sessionCache().put(cacheKey, {
    expiresAt: "2030-01-01T00:00:00.000Z",
    meta: { kind: "source", profile, accessKeyId: SAMPLE_ACCESS_KEY_ID },
  });
}

/** The vault the commands wrote, read in this process (the key derivation is cheap: see beforeEach). */
function sameVault(): FileVault {
  return new FileVault({ path: vaultPath, passphrase: fixedPassphrase(PASSPHRASE), kdf: CHEAP_SCRYPT });
}

const keyEnv = { AWS_ACCESS_KEY_ID: SAMPLE_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SAMPLE_SECRET };

beforeEach(async () => {
  forgetDerivedKeys();
  folder = await makeTempFolder("vault-commands");
  vaultPath = join(folder.path, "vault");
  // A vault made with a cheap scrypt cost: the commands keep the cost written in its header.
  await sameVault().keys.set("seed", {
    accessKeyId: SAMPLE_ACCESS_KEY_ID,
    secretAccessKey: SAMPLE_SECRET,
    addedAt: "x",
  });
  await sameVault().keys.remove("seed");
});
afterEach(() => folder.remove());

describe("vault commands", () => {
  it("add --env stores the key, refuses to overwrite without --force, and list shows it masked", async () => {
    const added = tobira(["add", SECRET_PROFILE, "--env"], keyEnv);
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /Stored access key AKIA…Y7XZ for profile 'prod-secret-name' in the .*vault\./);
    assert.deepEqual(
      await sameVault()
        .keys.get(SECRET_PROFILE)
        .then((key) => key?.secretAccessKey),
      SAMPLE_SECRET,
    );

    const again = tobira(["add", SECRET_PROFILE, "--env"], keyEnv);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already has a key in the vault \(AKIA…Y7XZ\)\n {2}hint: pass --force/);

    await cacheSession("made-with-old-key", { profile: "switch", sourceProfile: SECRET_PROFILE });
    await cacheSourceRecord("old-key-record", SECRET_PROFILE);
    const replaced = tobira(["add", SECRET_PROFILE, "--env", "--force"], {
      ...keyEnv,
      AWS_ACCESS_KEY_ID: "AKIANEWNEWNEWNEWNEW2",
    });
    assert.equal(replaced.status, 0, replaced.stderr);
    assert.equal((await sameVault().keys.get(SECRET_PROFILE))?.accessKeyId, "AKIANEWNEWNEWNEWNEW2");
    assert.match(replaced.stdout, /and dropped 1 cached session made with the old key\.\n$/);
    assert.deepEqual(await sessionCache().list(), [], "the old key's sessions and record are forgotten");

    const listed = tobira(["list"]);
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(
      listed.stdout,
      /^Vault: .*vault\nPROFILE\s+KIND\s+VAULT KEY\s+DETAIL\nprod-secret-name\s+-\s+AKIA…NEW2 \(\d{4}-\d\d-\d\d\)\s+not in the AWS config files\n$/,
    );
    assert.equal(listed.stdout.includes("AKIANEWNEWNEWNEWNEW2"), false, "the key id is masked");
  });

  it("add refuses temporary credentials, malformed ids and a missing environment, naming no secret", () => {
    const temporary = tobira(["add", "alice", "--env"], {
      ...keyEnv,
      AWS_SESSION_TOKEN: SAMPLE_SESSION_TOKEN,
    });
    assert.equal(temporary.status, 2);
    assert.match(temporary.stderr, /temporary credentials \(AWS_SESSION_TOKEN is set\)/);
    const asia = tobira(["add", "alice", "--env"], { ...keyEnv, AWS_ACCESS_KEY_ID: "ASIAEXAMPLETEMPKEY01" });
    assert.match(asia.stderr, /belongs to temporary credentials/);
    const junk = tobira(["add", "alice", "--env"], {
      ...keyEnv,
      AWS_SECRET_ACCESS_KEY: "has spaces in it and more",
    });
    assert.equal(junk.status, 2);
    assert.match(junk.stderr, /does not look like a secret access key/);
    assert.equal(junk.stderr.includes("has spaces"), false);
    const missing = tobira(["add", "alice", "--env"]);
    assert.match(missing.stderr, /--env needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    const badName = tobira(["add", "bad name", "--env"], keyEnv);
    assert.match(badName.stderr, /'bad name' is not a usable profile name/);
  });

  it("add without --env and without a terminal says so instead of hanging", () => {
    const run = spawnSync("setsid", [process.execPath, "--import", "tsx", cli, "add", "alice"], {
      env: {
        ...process.env,
        TOBIRA_BACKEND: "file",
        TOBIRA_VAULT_FILE: vaultPath,
        TOBIRA_VAULT_PASSPHRASE: PASSPHRASE,
      },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /no terminal to ask for the access key: pass --env/);
  });

  it("list joins the vault's keys with the profiles of the AWS config files", async () => {
    const { writeFile } = await import("node:fs/promises");
    const config = join(folder.path, "aws-config");
    await writeFile(
      config,
      [
        "[profile alice]",
        "region = eu-west-1",
        "[profile switch]",
        "source_profile = alice",
        "role_arn = arn:aws:iam::210987654321:role/switch",
        "mfa_serial = arn:aws:iam::123456789012:mfa/alice",
        "",
      ].join("\n"),
    );
    const env = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(folder.path, "none") };
    tobira(["add", "alice", "--env"], { ...env, ...keyEnv });
    tobira(["add", "orphan", "--env"], { ...env, ...keyEnv });
    const text = tobira(["list"], env);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /\nalice\s+user\s+AKIA…Y7XZ \(\d{4}-\d\d-\d\d\)\n/);
    assert.match(text.stdout, /\norphan\s+-\s+AKIA…Y7XZ \(.*\)\s+not in the AWS config files\n/);
    assert.match(text.stdout, /\nswitch\s+role\s+-\s+arn:aws:iam::210987654321:role\/switch via alice\n/);
    const json = JSON.parse(tobira(["list", "--json"], env).stdout) as {
      profiles: Array<Record<string, unknown>>;
    };
    assert.deepEqual(
      json.profiles.map((p) => [
        p.profile,
        p.inConfig,
        p.kind ?? null,
        (p.vaultKey as { accessKeyId?: string })?.accessKeyId ?? null,
      ]),
      [
        ["alice", true, "user", "AKIA…Y7XZ"],
        ["orphan", false, null, "AKIA…Y7XZ"],
        ["switch", true, "role", null],
      ],
    );
  });

  it("list --sessions and --json show the session cache's sessions and expiry without their secrets", async () => {
    await cacheSession("ck-1", { profile: "switch", sourceProfile: SECRET_PROFILE });
    await cacheSession("ck-2", {
      profile: "old",
      sourceProfile: "old",
      kind: "session-token",
      expiresAt: new Date(Date.now() - 20 * 60_000).toISOString(),
    });
    await cacheSourceRecord("record", SECRET_PROFILE);
    const text = tobira(["list", "--sessions"]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /\nSession cache: .*cache\nSESSION FOR\s+KIND\s+ROLE\s+EXPIRES\n/);
    assert.match(
      text.stdout,
      /switch\s+assume-role\s+arn:aws:iam::210987654321:role\/prod-secret-role\s+2030-01-01T00:00:00.000Z \(in \d+ h \d+ min\)/,
    );
    assert.match(text.stdout, /old\s+session-token\s+-\s+.*\(expired 2\d min ago\)/);
    const json = tobira(["list", "--sessions", "--json"]);
    const document = JSON.parse(json.stdout) as { backend: string; sessions: Array<Record<string, unknown>> };
    assert.equal(document.backend, "file");
    assert.deepEqual(
      document.sessions.map((s) => [s.profile, s.kind, s.sourceProfile, s.expired]),
      [
        ["old", "session-token", "old", true],
        ["switch", "assume-role", SECRET_PROFILE, false],
      ],
    );
    assert.equal(json.stdout.includes("ASIAEXAMPLETEMPKEY01"), false);
    const none = tobira(["list", "--sessions"], { TOBIRA_RUNTIME_DIR: join(folder.path, "after-logout") });
    assert.match(none.stdout, /\nNo cached sessions\.\n$/, "without the cache key nothing can be read");
  });

  it("clear drops the sessions of one profile or all; remove deletes a key and its sessions", async () => {
    tobira(["add", SECRET_PROFILE, "--env"], keyEnv);
    tobira(["add", "bob", "--env"], { ...keyEnv, AWS_ACCESS_KEY_ID: "AKIABOBBOBBOBBOBBOB1" });
    await cacheSession("ck-1", { profile: "switch", sourceProfile: SECRET_PROFILE });
    await cacheSession("ck-2", { profile: "bob-role", sourceProfile: "bob" });
    await cacheSession("ck-3", { profile: "carol", sourceProfile: "carol" });
    await cacheSourceRecord("bob-record", "bob");

    const one = tobira(["clear", "bob"]);
    assert.equal(one.stdout, "Dropped 1 cached session of profile 'bob'.\n");
    assert.equal(await sessionCache().get("bob-record"), undefined, "bob's source record went too");
    const noConfirm = tobira(["remove", SECRET_PROFILE]);
    assert.equal(noConfirm.status, 1);
    assert.match(
      noConfirm.stderr,
      /no terminal to ask for a confirmation: pass --yes to remove without asking/,
    );
    const removed = tobira(["remove", SECRET_PROFILE, "--yes"]);
    assert.equal(removed.status, 0, removed.stderr);
    assert.match(removed.stdout, /Removed the key of profile 'prod-secret-name' and 1 cached session\./);
    assert.deepEqual(await sameVault().keys.list(), ["bob"]);
    assert.deepEqual(
      (await sessionCache().list()).map((s) => s.key),
      ["ck-3"],
    );
    const unknown = tobira(["remove", "nobody", "--yes"]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no key is stored for profile 'nobody'/);
    assert.equal(tobira(["clear"]).stdout, "Dropped 1 cached session.\n");
    assert.deepEqual(await sessionCache().list(), []);
  });

  it("reports a damaged vault and a wrong passphrase in one line with a hint, leaving the file alone", async () => {
    tobira(["add", "alice", "--env"], keyEnv);
    const wrong = tobira(["list"], { TOBIRA_VAULT_PASSPHRASE: "not it" });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /^tobira: wrong passphrase for the vault file .*\n {2}hint: /);
    const bytes = await readFile(vaultPath);
    bytes[bytes.length - 5]! ^= 0x40;
    const { writeFile } = await import("node:fs/promises");
    await writeFile(vaultPath, bytes);
    const damaged = tobira(["add", "bob", "--env"], keyEnv);
    assert.equal(damaged.status, 1);
    assert.match(
      damaged.stderr,
      /^tobira: the vault file .* is damaged \(.*\); it was left untouched\n {2}hint: restore/,
    );
    assert.deepEqual(await readFile(vaultPath), bytes);
  });

  it("reads the passphrase from TOBIRA_VAULT_PASSPHRASE_FILE", async () => {
    const passFile = join(folder.path, "pass");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(passFile, `${PASSPHRASE}\n`, { mode: 0o600 });
    const run = tobira(["add", "alice", "--env"], {
      ...keyEnv,
      TOBIRA_VAULT_PASSPHRASE: "",
      TOBIRA_VAULT_PASSPHRASE_FILE: passFile,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(await sameVault().keys.list(), ["alice"]);
  });

  it("vault migrate --to keyring without a keyring fails clearly and leaves the file as it was", async () => {
    tobira(["add", "alice", "--env"], keyEnv);
    const before = await readFile(vaultPath);
    const run = tobira(["vault", "migrate", "--to", "keyring"], {
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(folder.path, "no-bus")}`,
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^tobira: the OS keyring is not available: cannot reach the D-Bus session bus/);
    assert.deepEqual(await readFile(vaultPath), before);
    const status = tobira(["vault", "status"]);
    assert.match(status.stdout, /^backend: file\nlocation: .*vault\nkeys: 1\ncached sessions: 0\n$/);
  });
});
