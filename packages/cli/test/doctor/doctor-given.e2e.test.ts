// `tobira doctor` end to end for chains that start from credentials obtained elsewhere (credential_process,
// credential_source = Environment): doctor obtains them as the credential commands do, fails when they cannot be
// made, and checks the STS calls and the session path with them when they can. And the shape of the report
// after a failure: every documented step is listed, the skipped ones unchecked, saying what they wait on.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ALICE_MFA, BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

const skip = !BUILT && "run `npm run build` first";
/** A guard against a hung session, not a timed assertion. */
const timeout = 180_000;
const TARGET_STEPS = [
  "target",
  "agent",
  "start-session",
  "preferences",
  "kms-user",
  "kms-instance",
  "session",
];

interface Step {
  id: string;
  title: string;
  status: string;
  summary: string;
  evidence: string[];
  fix?: string;
}
interface Report {
  ok: boolean;
  steps: Step[];
}

function stepOf(report: Report, id: string): Step {
  const found = report.steps.find((s) => s.id === id);
  assert.ok(found, `step ${id} in ${report.steps.map((s) => s.id).join(", ")}`);
  return found;
}

describe("doctor with credentials obtained elsewhere", { skip, timeout }, () => {
  let fx: SandboxUser;
  let env: NodeJS.ProcessEnv;

  async function doctor(args: string[], extra: NodeJS.ProcessEnv = {}) {
    const result = await fx.tobira(["doctor", ...args, "--json"], { env: { ...env, ...extra } });
    const output = result.stdout + result.stderr;
    assert.ok(!output.includes(fx.aliceKey.secretAccessKey), "alice's secret key is never printed");
    assert.ok(!output.includes(fx.aliceKey.accessKeyId), "access key ids are shown masked only");
    return { code: result.code, report: JSON.parse(result.stdout) as Report };
  }

  before(async () => {
    fx = await startSandboxUser({ label: "doctor-given" });
    const base = readFileSync(fx.env.AWS_CONFIG_FILE!, "utf8");
    const roleArn = /\[profile project-a\][^[]*?role_arn = (\S+)/.exec(base)?.[1];
    assert.ok(roleArn, "project-a names its role");
    // A credential_process that prints alice's key as the AWS CLI wants it.
    const script = join(fx.root, "alice-key.sh");
    writeFileSync(
      script,
      `#!/bin/sh\nprintf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}' '${fx.aliceKey.accessKeyId}' '${fx.aliceKey.secretAccessKey}'\n`,
      { mode: 0o700 },
    );
    const endpoint = fx.sandbox.endpoint;
    const place = `region = ap-northeast-1\nendpoint_url = ${endpoint}\n`;
    const path = join(fx.root, "config-given");
    writeFileSync(
      path,
      `${base}
[profile cp-broken]
${place}credential_process = /bin/false

[profile cp-alice]
${place}credential_process = ${script}

[profile cp-role]
${place}role_arn = ${roleArn}
source_profile = cp-alice
mfa_serial = ${ALICE_MFA}
tobira_mfa_process = ${join(fx.root, "mfa-code.sh")}

[profile env-role]
${place}role_arn = ${roleArn}
credential_source = Environment
`,
    );
    env = { AWS_CONFIG_FILE: path };
  });

  after(async () => {
    await fx?.close();
  });

  test("a credential_process that fails is a failure with its exit status and the command to run by hand", async () => {
    const { code, report } = await doctor(["cp-broken"]);
    assert.equal(code, 1);
    assert.equal(report.ok, false);
    const vault = stepOf(report, "vault");
    assert.equal(vault.status, "failure", vault.summary);
    assert.match(vault.summary, /credential_process of 'cp-broken'.*exited with status 1/);
    assert.match(vault.fix ?? "", /run the command by hand.*: \/bin\/false$/);
    const exported = await fx.tobira(["export", "cp-broken"], { env });
    assert.notEqual(exported.code, 0, "the credential commands fail alike");
  });

  test("a working credential_process: its key starts the chain, every STS call and the session path are ok", async () => {
    const { code, report } = await doctor(["cp-role", "web-a"]);
    assert.deepEqual(
      report.steps.map((s) => s.id),
      ["config", "vault", "mfa", "sts:0", "sts:1", ...TARGET_STEPS],
    );
    for (const s of report.steps) assert.equal(s.status, "ok", `${s.id}: ${s.summary}`);
    assert.equal(code, 0);
    const vault = stepOf(report, "vault");
    assert.match(vault.evidence.join("\n"), /GetCallerIdentity: arn:aws:iam::\d{12}:user\/alice/);
    assert.match(stepOf(report, "sts:0").summary, /session token with MFA/);
  });

  test("credential_source = Environment with no AWS_* variables names the missing ones", async () => {
    const { code, report } = await doctor(["env-role"]);
    assert.equal(code, 1);
    const vault = stepOf(report, "vault");
    assert.equal(vault.status, "failure", vault.summary);
    assert.match(vault.summary, /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/);
    assert.match(vault.fix ?? "", /set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    const hop = stepOf(report, "sts:0");
    assert.equal(hop.status, "unchecked");
    assert.match(hop.summary, /waits on the vault step/);
  });

  test("an unknown target: every step after it is listed unchecked, waiting on the target step", async () => {
    const { code, report } = await doctor(["project-a", "nosuch"]);
    assert.equal(code, 1);
    assert.deepEqual(
      report.steps.map((s) => s.id),
      ["config", "vault", "mfa", "sts:0", "sts:1", ...TARGET_STEPS],
    );
    assert.equal(stepOf(report, "target").status, "failure");
    for (const id of TARGET_STEPS.slice(1)) {
      const s = stepOf(report, id);
      assert.equal(s.status, "unchecked", id);
      assert.match(s.summary, /waits on the target step/);
    }
  });

  test("credentials that cannot be made: the target steps are all listed unchecked", async () => {
    const { report } = await doctor(["cp-broken", "web-a"]);
    assert.deepEqual(
      report.steps.map((s) => s.id),
      ["config", "vault", "mfa", ...TARGET_STEPS],
    );
    for (const id of TARGET_STEPS) assert.equal(stepOf(report, id).status, "unchecked", id);
  });

  test("an unknown profile: the STS step has the documented id sts:0", async () => {
    const { code, report } = await doctor(["nosuch-profile"]);
    assert.equal(code, 1);
    assert.deepEqual(
      report.steps.map((s) => s.id),
      ["config", "vault", "mfa", "sts:0"],
    );
    assert.equal(stepOf(report, "config").status, "failure");
  });
});
