// `tobira doctor` for a tobira_rolesanywhere_* profile against the sandbox's Roles Anywhere: a certificate the
// sandbox refuses is a failure in AWS's words (exit 1), a trusted one is ok and names the role session.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Leaf } from "../../../sandbox/test/rolesanywhere/pki.js";
import { BUILT } from "../fixtures/sandbox-user.js";
import { type RaMachine, REGION, SERVER_ROLE, startRaMachine } from "../rolesanywhere/ra-fixture.js";

interface Step {
  id: string;
  status: string;
  summary: string;
  evidence: string[];
  fix?: string;
}

describe("doctor with a Roles Anywhere profile", { skip: !BUILT && "run `npm run build` first" }, () => {
  let m: RaMachine;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    m = await startRaMachine();
    const section = (name: string, leaf: Leaf, intermediates: boolean) =>
      [
        `[profile ${name}]`,
        `region = ${REGION}`,
        `tobira_rolesanywhere_certificate = ${leaf.certificatePath}`,
        `tobira_rolesanywhere_private_key = ${leaf.keyPath}`,
        ...(intermediates ? [`tobira_rolesanywhere_intermediates = ${m.pki.intermediatePath}`] : []),
        `tobira_rolesanywhere_trust_anchor_arn = ${m.anchorArn}`,
        `tobira_rolesanywhere_profile_arn = ${m.profileArn}`,
        `tobira_rolesanywhere_role_arn = ${SERVER_ROLE}`,
        "",
      ].join("\n");
    const config = join(m.home, "config");
    writeFileSync(
      config,
      [
        section("ra-expired", m.pki.expiredLeaf, true),
        section("ra-stranger", m.pki.strangerLeaf, true),
        section("ra-good", m.pki.rsaLeaf, true),
      ].join("\n"),
    );
    env = {
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(m.home, "no-credentials"),
      TOBIRA_CACHE_DIR: join(m.home, "cache"),
      TOBIRA_RUNTIME_DIR: mkdtempSync(join(m.home, "run-")),
    };
  });
  after(() => m.dispose());

  const doctor = async (profile: string) => {
    const run = await m.tobira(["doctor", profile, "--json"], env);
    const report = JSON.parse(run.stdout) as { ok: boolean; steps: Step[] };
    const vault = report.steps.find((s) => s.id === "vault");
    assert.ok(vault, run.stdout);
    return { code: run.code, report, vault };
  };

  test("a certificate the sandbox refuses is a failure with AWS's answer", async () => {
    const { code, report, vault } = await doctor("ra-stranger");
    assert.equal(code, 1);
    assert.equal(report.ok, false);
    assert.equal(vault.status, "failure", vault.summary);
    assert.match(vault.summary, /AccessDeniedException: Untrusted signing certificate/);
    assert.ok(vault.fix, "a fix is given");
  });

  test("an expired certificate is a failure that names its date", async () => {
    const { code, vault } = await doctor("ra-expired");
    assert.equal(code, 1);
    assert.equal(vault.status, "failure", vault.summary);
    assert.match(`${vault.summary}\n${vault.evidence.join("\n")}`, /expired at 20\d\d-/);
  });

  test("a trusted certificate is ok and names the role session", async () => {
    const { code, vault } = await doctor("ra-good");
    assert.equal(vault.status, "ok", vault.summary);
    assert.match(vault.evidence.join("\n"), /GetCallerIdentity: arn:aws:sts::\d{12}:assumed-role\//);
    assert.equal(code, 0);
  });
});
