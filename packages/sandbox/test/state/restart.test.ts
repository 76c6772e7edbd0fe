import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CreateAccessKeyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { mfaCodeFor, StateFileError, startSandbox } from "../../src/index.js";
import { totpAt, totpStep } from "../../src/mfa/totp.js";
import { ALICE_MFA, awsError, credentialsOf, SWITCH_ROLE, sandboxSuite } from "../server/sandbox-fixture.js";

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

describe("the sandbox's files and state across restarts", () => {
  const suite = sandboxSuite();

  it("writes its files with private modes and removes sandbox.json on close", async () => {
    const dir = suite.t.stateDir;
    for (const name of ["state.json", "world.json", "credentials"])
      assert.equal(mode(join(dir, name)), 0o600, name);
    assert.ok(existsSync(join(dir, "config")));
    const info = JSON.parse(readFileSync(join(dir, "sandbox.json"), "utf8"));
    assert.equal(info.endpoint, suite.t.sandbox.endpoint);
    assert.equal(info.port, suite.t.sandbox.port);
    assert.equal(info.pid, process.pid);
    assert.match(suite.t.sandbox.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    await suite.t.restart();
    assert.ok(existsSync(join(dir, "sandbox.json")));
  });

  it("keeps issued sessions, consumed codes and created keys through close() and a new start", async () => {
    const code = suite.t.code(ALICE_MFA);
    const session = credentialsOf(
      await suite.t
        .sts(suite.t.keysOf("alice"))
        .send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: code })),
    );
    const created = await suite.t.iam(session).send(new CreateAccessKeyCommand({}));
    const newKey = {
      accessKeyId: created.AccessKey!.AccessKeyId!,
      secretAccessKey: created.AccessKey!.SecretAccessKey!,
    };

    await suite.t.stop();
    assert.equal(existsSync(join(suite.t.stateDir, "sandbox.json")), false);
    await suite.t.restart();

    const reused = await awsError(
      suite.t.sts(suite.t.keysOf("alice")).send(
        new AssumeRoleCommand({
          RoleArn: SWITCH_ROLE,
          RoleSessionName: "after-restart",
          SerialNumber: ALICE_MFA,
          TokenCode: code,
        }),
      ),
    );
    assert.equal(reused.message, "MultiFactorAuthentication failed with invalid MFA one time pass code.");
    assert.equal(
      (await suite.t.sts(session).send(new GetCallerIdentityCommand({}))).Arn,
      "arn:aws:iam::111111111111:user/alice",
    );
    assert.equal(
      (await suite.t.sts(newKey).send(new GetCallerIdentityCommand({}))).Arn,
      "arn:aws:iam::111111111111:user/alice",
    );
  });

  it("writes one audit line per call with the decision, and never a secret or token", async () => {
    const session = credentialsOf(
      await suite.t.sts(suite.t.keysOf("bob")).send(
        new GetSessionTokenCommand({
          SerialNumber: "arn:aws:iam::111111111111:mfa/bob",
          TokenCode: suite.t.code("arn:aws:iam::111111111111:mfa/bob"),
        }),
      ),
    );
    await suite.t
      .sts(session)
      .send(new AssumeRoleCommand({ RoleArn: SWITCH_ROLE, RoleSessionName: "audited" }));
    await awsError(
      suite.t
        .sts(suite.t.keysOf("carol"))
        .send(new AssumeRoleCommand({ RoleArn: SWITCH_ROLE, RoleSessionName: "carol" })),
    );

    const lines = suite.t.auditLines();
    const allow = lines.find((l) => l.action === "AssumeRole" && l.accessKeyId === session.accessKeyId)!;
    assert.equal(allow.decision, "Allow");
    assert.equal(allow.service, "sts");
    assert.equal(allow.principalArn, "arn:aws:iam::111111111111:user/bob");
    assert.equal(allow.mfa, true);
    assert.equal(allow.status, 200);
    assert.match(String(allow.reason), /Role-for-switch trust policy#Statement\[0\]/);
    assert.match(String(allow.requestId), /^[0-9a-f-]{36}$/);

    const deny = lines.filter((l) => l.principalArn === "arn:aws:iam::111111111111:user/carol").at(-1)!;
    assert.equal(deny.decision, "ExplicitDeny");
    assert.equal(deny.status, 403);
    assert.equal(deny.errorCode, "AccessDenied");
    assert.match(String(deny.reason), /OperatorsSelfService#DenyAllExceptListedIfNoMFA/);
    assert.equal("mfa" in deny, false, "long-term keys carry no MFA fact");

    const text = readFileSync(join(suite.t.stateDir, "audit.jsonl"), "utf8");
    const secrets = [
      session.secretAccessKey,
      session.sessionToken!,
      ...suite.t.world.users.flatMap((u) => u.accessKeys.map((k) => k.secret)),
    ];
    for (const secret of secrets)
      assert.equal(text.includes(secret), false, "audit.jsonl must not hold secrets");
  });

  it("mfaCodeFor returns the current code, and waits for the next step once that one is consumed", async () => {
    const secret = suite.t.world.users.find((u) => u.name === "alice")!.mfaDevices[0]!.secret;
    suite.t.advance(90_000); // past any step an earlier test spent
    const waitsForFresh: number[] = [];
    const fresh = await mfaCodeFor(suite.t.stateDir, ALICE_MFA, {
      now: suite.t.now,
      onWait: (s) => waitsForFresh.push(s),
    });
    assert.equal(fresh, totpAt(secret, totpStep(suite.t.now())));
    assert.deepEqual(waitsForFresh, []);

    // Place the clock 300 ms before a step ends and spend that step's code.
    const start = Date.now();
    const target = (totpStep(suite.t.now()) + 4) * 30_000 - 300;
    suite.t.advance(target - suite.t.now());
    const now = () => target + (Date.now() - start);
    const spent = totpAt(secret, totpStep(target));
    await suite.t.sts(suite.t.keysOf("alice")).send(
      new AssumeRoleCommand({
        RoleArn: SWITCH_ROLE,
        RoleSessionName: "spend",
        SerialNumber: ALICE_MFA,
        TokenCode: spent,
      }),
    );
    const waits: number[] = [];
    const next = await mfaCodeFor(suite.t.stateDir, ALICE_MFA, { now, onWait: (s) => waits.push(s) });
    assert.deepEqual(waits, [1]);
    assert.equal(next, totpAt(secret, totpStep(target) + 1));
  });

  it("names unknown devices and missing state in mfaCodeFor's errors", async () => {
    await assert.rejects(mfaCodeFor(suite.t.stateDir, "arn:aws:iam::111111111111:mfa/nobody"), {
      name: "MfaCodeError",
      message: "The sandbox world has no virtual MFA device arn:aws:iam::111111111111:mfa/nobody.",
    });
    const empty = mkdtempSync(join(tmpdir(), "tobira-sandbox-empty-"));
    try {
      await assert.rejects(mfaCodeFor(empty, ALICE_MFA), {
        name: "MfaCodeError",
        message: /No sandbox world in/,
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("refuses to start on a corrupted state.json and says how to recover", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tobira-sandbox-corrupt-"));
    try {
      writeFileSync(join(dir, "state.json"), "{not json");
      await assert.rejects(startSandbox({ stateDir: dir }), (error: Error) => {
        assert.ok(error instanceof StateFileError);
        assert.match(error.message, /Cannot read the sandbox state/);
        assert.match(error.hint, /Move .*state\.json away/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
