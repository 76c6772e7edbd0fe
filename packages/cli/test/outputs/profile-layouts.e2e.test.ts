// Config layouts the AWS CLI v2 accepts, used through the built CLI against the sandbox: each profile is
// appended to the user's config once the sandbox's endpoint is known, and the audit log and the MFA counter
// are the witnesses. Needs `npm run build` first.
import assert from "node:assert/strict";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ALICE_MFA, BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

const SWITCH_ROLE = "arn:aws:iam::222222222222:role/Role-for-switch";

describe("profile layouts the AWS CLI accepts", { skip: !BUILT && "run `npm run build` first" }, () => {
  let fx: SandboxUser;
  /** A profile section pointed at the sandbox, with alice's counted MFA codes. */
  const appendProfile = (header: string, lines: string[], mfaProcess = mfaCodeScript()): void => {
    const section = [
      header,
      "region = ap-northeast-1",
      `endpoint_url = ${fx.sandbox.endpoint}`,
      `tobira_mfa_process = ${mfaProcess}`,
      ...lines,
    ];
    appendFileSync(fx.env.AWS_CONFIG_FILE as string, `\n${section.join("\n")}\n`);
  };

  const mfaCodeScript = () => join(fx.root, "mfa-code.sh");
  const storeAliceKeyAs = (profile: string) =>
    fx.vault.keys.set(profile, { ...fx.aliceKey, addedAt: new Date().toISOString() });

  before(async () => {
    fx = await startSandboxUser({ label: "layouts" });
  });
  after(async () => {
    await fx?.close();
  });

  test("a profile that is its own source_profile, its key in the vault: the key is the source", async () => {
    appendProfile("[profile self]", [
      `role_arn = ${SWITCH_ROLE}`,
      "source_profile = self",
      `mfa_serial = ${ALICE_MFA}`,
    ]);
    await storeAliceKeyAs("self");
    const result = await fx.tobira(["export", "self", "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(String(JSON.parse(result.stdout).AWS_ACCESS_KEY_ID), /^ASIA/);
    const assumed = fx
      .audit()
      .filter((line) => line.action === "AssumeRole" && line.decision === "Allow")
      .at(-1);
    assert.ok(assumed, "an AssumeRole allowed");
    assert.match(JSON.stringify(assumed), /Role-for-switch/);
    assert.equal(fx.mfaPrompts(), 1);
  });

  test("tobira_mfa_process keeps the text after ' ;', as the AWS CLI keeps a value", async () => {
    // Cut at " ;" the command would be `true`, which prints no code.
    appendProfile("[profile semi]", [`mfa_serial = ${ALICE_MFA}`], `true ; ${mfaCodeScript()}`);
    await storeAliceKeyAs("semi");
    const before = fx.mfaPrompts();
    const result = await fx.tobira(["export", "semi", "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(fx.mfaPrompts(), before + 1);
    const token = fx
      .audit()
      .filter((line) => line.action === "GetSessionToken")
      .at(-1);
    assert.equal(token?.decision, "Allow");
    assert.equal(token?.mfa, true);
  });

  test("two roles behind one credential_process giving long-term keys: one MFA code in all", async () => {
    // The process prints alice's long-term key (no session token), as a password manager's helper would.
    const keyFile = join(fx.root, "alice-key.json");
    writeFileSync(
      keyFile,
      JSON.stringify({
        Version: 1,
        AccessKeyId: fx.aliceKey.accessKeyId,
        SecretAccessKey: fx.aliceKey.secretAccessKey,
      }),
      { mode: 0o600 },
    );
    appendProfile("[profile from-process]", [`credential_process = cat ${keyFile}`]);
    for (const [name, role] of [
      ["process-switch", SWITCH_ROLE],
      ["process-project-a", "arn:aws:iam::222222222222:role/project-a-operator"],
    ] as const) {
      appendProfile(`[profile ${name}]`, [
        `role_arn = ${role}`,
        "source_profile = from-process",
        `mfa_serial = ${ALICE_MFA}`,
      ]);
    }
    const prompts = fx.mfaPrompts();
    const auditFrom = fx.audit().length;
    for (const profile of ["process-switch", "process-project-a"]) {
      const result = await fx.tobira(["export", profile, "--format", "json"]);
      assert.equal(result.code, 0, result.stderr);
    }
    assert.equal(fx.mfaPrompts(), prompts + 1, "one MFA code for both roles");
    const sts = fx
      .audit()
      .slice(auditFrom)
      .filter((line) => line.service === "sts" && line.decision === "Allow");
    const calls = sts.map((line) => line.action);
    assert.equal(calls.filter((action) => action === "GetSessionToken").length, 1, calls.join(", "));
    assert.equal(calls.filter((action) => action === "AssumeRole").length, 2, calls.join(", "));
  });

  test("temporary credentials from the process cannot call GetSessionToken: said once, a code per role", async () => {
    const made = await fx.tobira(["export", "alice", "--format", "json"]);
    assert.equal(made.code, 0, made.stderr);
    const session = JSON.parse(made.stdout) as Record<string, string>;
    const tokenFile = join(fx.root, "alice-session.json");
    writeFileSync(
      tokenFile,
      JSON.stringify({
        Version: 1,
        AccessKeyId: session.AWS_ACCESS_KEY_ID,
        SecretAccessKey: session.AWS_SECRET_ACCESS_KEY,
        SessionToken: session.AWS_SESSION_TOKEN,
      }),
      { mode: 0o600 },
    );
    appendProfile("[profile from-session-process]", [`credential_process = cat ${tokenFile}`]);
    appendProfile("[profile session-process-switch]", [
      `role_arn = ${SWITCH_ROLE}`,
      "source_profile = from-session-process",
      `mfa_serial = ${ALICE_MFA}`,
    ]);
    const result = await fx.tobira(["export", "session-process-switch", "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /temporary credentials, which cannot call GetSessionToken/);
  });
});
