import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni } from "@aws-sdk/credential-providers";
import { LEAF_PASSPHRASE, type Leaf } from "../../../sandbox/test/rolesanywhere/pki.js";
import { runOnPty } from "../fixtures/pty-run.js";
import { BUILT, tobiraBin } from "../fixtures/sandbox-user.js";
import { identityArgs, type RaMachine, REGION, SERVER_ROLE, startRaMachine } from "./ra-fixture.js";

describe("tobira rolesanywhere credential-process against the sandbox", {
  skip: !BUILT && "needs npm run build",
}, () => {
  let m: RaMachine;
  before(async () => {
    m = await startRaMachine();
  });
  after(() => m.dispose());

  const args = (leaf: Leaf, extra: string[] = []) => [
    "rolesanywhere",
    "credential-process",
    ...identityArgs(m, leaf),
    ...extra,
  ];
  const sts = (credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string }) =>
    new STSClient({
      endpoint: m.sandbox.endpoint,
      region: REGION,
      credentials: {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
      },
    });

  it("prints Version 1 JSON whose credentials STS knows as the role session of the certificate", async () => {
    const run = await m.tobira(
      args(m.pki.rsaLeaf, ["--intermediates", m.pki.intermediatePath, "--session-duration", "3600"]),
    );
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as {
      Version: number;
      AccessKeyId: string;
      SecretAccessKey: string;
      SessionToken: string;
      Expiration: string;
    };
    assert.equal(json.Version, 1);
    assert.match(json.AccessKeyId, /^ASIA/);
    assert.ok(Math.abs(Date.parse(json.Expiration) - Date.now() - 3600_000) < 60_000);
    const who = await sts(json).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, "arn:aws:sts::333333333333:assumed-role/lab-server/8192");
  });

  it("serves the AWS SDK through credential_process in ~/.aws/config, with an EC key in PKCS#8", async () => {
    const config = join(m.home, "config-ec");
    const command = [
      process.execPath,
      join(import.meta.dirname, "..", "..", "bin", "tobira.js"),
      ...args(m.pki.ecLeaf, ["--intermediates", m.pki.intermediatePath, "--endpoint", m.sandbox.endpoint]),
    ].join(" ");
    writeFileSync(config, `[profile lab-ec]\nregion = ${REGION}\ncredential_process = ${command}\n`);
    const client = new STSClient({
      endpoint: m.sandbox.endpoint,
      region: REGION,
      credentials: fromIni({ profile: "lab-ec", filepath: join(m.home, "none"), configFilepath: config }),
    });
    const who = await client.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, "arn:aws:sts::333333333333:assumed-role/lab-server/8193");
  });

  it("reads the passphrase of an encrypted PKCS#8 key from the environment, never from argv", async () => {
    const ok = await m.tobira(args(m.pki.encryptedLeaf), {
      TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE: LEAF_PASSPHRASE,
    });
    assert.equal(ok.code, 0, ok.stderr);
    // --no-cache: the good call's credentials are cached, and a hit never reads the key.
    const wrong = await m.tobira(args(m.pki.encryptedLeaf, ["--no-cache"]), {
      TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE: "not it",
    });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /cannot decrypt the private key .*web-3\.key: wrong passphrase\?/);
    assert.ok(!wrong.stderr.includes("not it"), "the passphrase is never echoed");
  });

  it("asks for the passphrase of an encrypted key on the terminal, without echo", async () => {
    const run = runOnPty([tobiraBin, ...args(m.pki.encryptedLeaf, ["--no-cache"])], {
      cwd: m.home,
      env: m.env,
    });
    await run.waitFor(/Passphrase for the private key .*web-3\.key: /);
    run.term.write(`${LEAF_PASSPHRASE}\r`);
    assert.equal(await run.exited, 0, run.output());
    assert.ok(!run.output().includes(LEAF_PASSPHRASE), "the passphrase is not echoed");
    assert.match(run.output(), /"Version":1,"AccessKeyId":"ASIA/);
  });

  it("refuses each bad certificate with AWS's error, and exits 1 with nothing on stdout", async () => {
    const cases: [Leaf, string[], string][] = [
      [m.pki.revokedLeaf, [], "AccessDeniedException: Certificate revoked"],
      [m.pki.strangerLeaf, [], "AccessDeniedException: Untrusted signing certificate"],
      [m.pki.rsaLeaf, [], "AccessDeniedException: Untrusted signing certificate"], // no --intermediates
      [m.pki.dbLeaf, [], `AccessDeniedException: Unable to assume role for ${SERVER_ROLE}`],
    ];
    for (const [leaf, extra, message] of cases) {
      const run = await m.tobira(args(leaf, extra));
      assert.equal(run.code, 1, `${leaf.certificatePath}: ${run.stderr}`);
      assert.equal(run.stdout, "");
      assert.ok(run.stderr.includes(`IAM Roles Anywhere refused CreateSession: ${message}`), run.stderr);
    }
  });

  it("says what is missing or mismatched before any call", async () => {
    const missing = await m.tobira([
      "rolesanywhere",
      "credential-process",
      "--certificate",
      m.pki.rsaLeaf.certificatePath,
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing --private-key, --trust-anchor-arn, --profile-arn, --role-arn/);
    const mismatched = await m.tobira(
      args(m.pki.rsaLeaf).map((a) => (a === m.pki.rsaLeaf.keyPath ? m.pki.ecLeaf.keyPath : a)),
    );
    assert.equal(mismatched.code, 1);
    assert.match(mismatched.stderr, /does not belong to the certificate/);
    // An expired certificate is named as such (Roles Anywhere would only say "Untrusted signing certificate").
    const expired = await m.tobira(args(m.pki.expiredLeaf));
    assert.equal(expired.code, 1);
    assert.equal(expired.stdout, "");
    assert.match(expired.stderr, /the certificate \S+ expired at 20\d\d-\d\d-\d\dT/);
    assert.match(expired.stderr, /hint: renew it with your CA/);
    assert.doesNotMatch(expired.stderr, /refused CreateSession/);
  });
});
