// Config layouts the AWS CLI v2 accepts, used through the built CLI against the sandbox: each profile is
// appended to the user's config once the sandbox's endpoint is known, and the audit log and the MFA counter
// are the witnesses. Needs `npm run build` first.
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
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
});
