// `tobira rotate` as a user runs it, against the sandbox: afterwards the vault holds a new key that works, IAM
// lists exactly that one key, the old key is refused, and the profile's cached sessions are dropped.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { IAMClient, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { mfaCodeFor } from "../../../sandbox/src/index.js";
import { sourceRecordKey } from "../../src/credentials/cache-key.js";
import { FileSessionCache } from "../../src/credentials/session-cache-file.js";
import { defaultSessionCacheLocation } from "../../src/credentials/session-cache-reader.js";
import { FileVault } from "../../src/vault/file-vault.js";
import { fixedPassphrase } from "../../src/vault/passphrase-source.js";
import {
  ALICE_MFA,
  BUILT,
  PASSPHRASE,
  type SandboxUser,
  startSandboxUser,
} from "../fixtures/sandbox-user.js";

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

describe("tobira rotate against the sandbox", { skip: !BUILT && "run `npm run build` first" }, () => {
  let f: SandboxUser;
  const sts = (credentials: Keys) =>
    new STSClient({ region: "ap-northeast-1", endpoint: f.sandbox.endpoint, credentials, maxAttempts: 1 });
  before(async () => {
    f = await startSandboxUser({ label: "rotate" });
  });
  after(() => f?.close());

  it("leaves a new working key in the vault, one key in IAM, and the old key refused", async () => {
    const oldKey = f.aliceKey;
    // A cached source record for alice (as any earlier use leaves one) must not outlive the old key.
    const cache = new FileSessionCache(defaultSessionCacheLocation(f.env));
    await cache.put(sourceRecordKey("alice"), {
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      meta: { kind: "source", profile: "alice", accessKeyId: oldKey.accessKeyId },
    });
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    await cache.put("alice-session", {
      expiresAt,
      credentials: {
        accessKeyId: "ASIAOLD",
        secretAccessKey: "old",
        sessionToken: "old",
        expiration: expiresAt,
      },
      meta: { kind: "assume-role", profile: "switch", sourceProfile: "alice", forProfile: "switch" },
    });

    const result = await f.tobira(["rotate", "alice"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /using the MFA device arn:aws:iam::111111111111:mfa\/alice/);
    assert.match(result.stderr, /creating a new access key/);
    assert.match(result.stderr, /stored AKIA….{4} in the vault/);
    assert.match(result.stderr, /deleted the old key/);
    assert.match(result.stdout, /^Rotated the access key of profile 'alice': AKIA….{4} → AKIA….{4}\.\n$/);

    const vault = new FileVault({ path: f.env.TOBIRA_VAULT_FILE!, passphrase: fixedPassphrase(PASSPHRASE) });
    const stored = await vault.keys.get("alice");
    assert.ok(stored);
    assert.notEqual(stored.accessKeyId, oldKey.accessKeyId);
    assert.equal(stored.userName, "alice");
    for (const secret of [stored.secretAccessKey, oldKey.secretAccessKey]) {
      assert.ok(
        !result.stdout.includes(secret) && !result.stderr.includes(secret),
        "no secret in the output",
      );
    }

    const identity = await sts(stored).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, "arn:aws:iam::111111111111:user/alice");

    const refused = await sts(oldKey)
      .send(new GetCallerIdentityCommand({}))
      .then(
        () => "accepted",
        (error: Error) => error.name,
      );
    assert.equal(refused, "InvalidClientTokenId");

    // IAM's view, through an MFA session of the new key (key management needs MFA in the default world).
    const code = await mfaCodeFor(f.stateDir, ALICE_MFA);
    const session = (
      await sts(stored).send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: code }))
    ).Credentials!;
    const iam = new IAMClient({
      region: "ap-northeast-1",
      endpoint: f.sandbox.endpoint,
      credentials: {
        accessKeyId: session.AccessKeyId!,
        secretAccessKey: session.SecretAccessKey!,
        sessionToken: session.SessionToken!,
      },
    });
    const keys = await iam.send(new ListAccessKeysCommand({}));
    assert.deepEqual(
      keys.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status]),
      [[stored.accessKeyId, "Active"]],
    );

    assert.equal(await cache.get(sourceRecordKey("alice")), undefined, "the source record is forgotten");
    assert.equal(await cache.get("alice-session"), undefined, "sessions made with the old key are dropped");
  });

  it("explains a refusal for a user without MFA, and keeps the key", async () => {
    const vault = new FileVault({ path: f.env.TOBIRA_VAULT_FILE!, passphrase: fixedPassphrase(PASSPHRASE) });
    const carol = /\[carol\]\s+aws_access_key_id = (\S+)\s+aws_secret_access_key = (\S+)/.exec(
      await import("node:fs").then((fs) => fs.readFileSync(`${f.stateDir}/credentials`, "utf8")),
    );
    assert.ok(carol);
    await vault.keys.set("carol", {
      accessKeyId: carol[1]!,
      secretAccessKey: carol[2]!,
      addedAt: new Date().toISOString(),
    });
    const result = await f.tobira(["rotate", "carol"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no MFA device known/);
    assert.match(result.stderr, /ListAccessKeys failed: AccessDenied/);
    assert.match(result.stderr, /hint: managing access keys needs MFA/);
    assert.equal((await vault.keys.get("carol"))?.accessKeyId, carol[1]);
  });
});
