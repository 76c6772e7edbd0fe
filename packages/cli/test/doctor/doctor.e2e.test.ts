// `tobira doctor` end to end, as a user runs it against the sandbox: a healthy world gives all ok, and each
// world with exactly one of the articles' faults gets that fault named, with its fix, and nothing else wrong.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { defaultWorld, type World } from "@tobira/sandbox";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";
import {
  agentOffline,
  CHAINED_ROLE,
  chainedRole,
  decryptMissing,
  generateDataKeyMissing,
  KEY_ARN,
  noDiagnosisGrants,
  runAsUserMissing,
  tagMismatch,
} from "./doctor-worlds.js";

const skip = !BUILT && "run `npm run build` first";
/** A guard against a hung session, not a timed assertion. */
const timeout = 180_000;
const ALL_STEPS = [
  "config",
  "vault",
  "mfa",
  "sts:0",
  "sts:1",
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
  schema: string;
  profile: string;
  target?: string;
  ok: boolean;
  steps: Step[];
}

async function doctor(fx: SandboxUser, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = await fx.tobira(["doctor", ...args, "--json"], { env });
  const report = JSON.parse(result.stdout) as Report;
  assertNoSecret(fx, result.stdout + result.stderr);
  return { code: result.code, report, stderr: result.stderr };
}

function assertNoSecret(fx: SandboxUser, output: string): void {
  assert.ok(!output.includes(fx.aliceKey.secretAccessKey), "alice's secret key is never printed");
  assert.ok(!output.includes(fx.aliceKey.accessKeyId), "access key ids are shown masked only");
  assert.doesNotMatch(output, /aws_secret_access_key = (?!\(secret, not shown\))/);
}

function stepOf(report: Report, id: string): Step {
  const found = report.steps.find((s) => s.id === id);
  assert.ok(found, `step ${id} in ${report.steps.map((s) => s.id).join(", ")}`);
  return found;
}

/** Every step is ok but those named (and the trial session, which an earlier failure leaves unchecked). */
function onlyThese(report: Report, faulty: Record<string, string>): void {
  for (const s of report.steps) {
    const expected = faulty[s.id] ?? (s.id === "session" && faulty.session === undefined ? s.status : "ok");
    assert.equal(s.status, expected, `${s.id}: ${s.summary}`);
  }
  if (Object.values(faulty).includes("failure") && faulty.session === undefined)
    assert.match(stepOf(report, "session").status, /^(unchecked|ok)$/);
}

function withSandbox(label: string, world: World | undefined, body: (get: () => SandboxUser) => void) {
  describe(label, { skip, timeout }, () => {
    let fx: SandboxUser;
    before(async () => {
      fx = await startSandboxUser({
        label: `doctor-${label.replace(/\W+/g, "-").slice(0, 20)}`,
        ...(world ? { world } : {}),
      });
    });
    after(async () => {
      await fx?.close();
    });
    body(() => fx);
  });
}

withSandbox("healthy world", undefined, (fx) => {
  test("every step ok, in order, with evidence and no fix; exit 0", async () => {
    const { code, report } = await doctor(fx(), ["project-a", "web-a"]);
    assert.equal(code, 0);
    assert.equal(report.schema, "tobira.doctor/1");
    assert.equal(report.profile, "project-a");
    assert.equal(report.target, "web-a");
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.steps.map((s) => s.id),
      ALL_STEPS,
    );
    for (const s of report.steps) {
      assert.equal(s.status, "ok", `${s.id}: ${s.summary}`);
      assert.ok(s.evidence.length > 0 || s.id === "kms-user", `${s.id} shows evidence`);
      assert.equal(s.fix, undefined);
    }
    assert.match(stepOf(report, "kms-instance").evidence.join("\n"), /kms:Decrypt on .*: allowed/);
    assert.match(stepOf(report, "preferences").evidence.join("\n"), /run as os-user1/);
    assert.equal(fx().mfaPrompts(), 1);
  });

  test("the text report says ok per step and all ok", async () => {
    const result = await fx().tobira(["doctor", "project-a"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^tobira doctor project-a\n\[ok\] config: /);
    assert.match(
      result.stdout,
      /\[ok\] STS AssumeRole \(project-a\): assumed arn:aws:iam::222222222222:role\/project-a-operator/,
    );
    assert.match(result.stdout, /trust asks for MFA and the call had it/);
    assert.match(result.stdout, /\nall ok\n$/);
    assertNoSecret(fx(), result.stdout + result.stderr);
  });

  test("a key older than the rotation age is a warning with the rotate command", async () => {
    const sixMonths = new Date(Date.now() - 180 * 86_400_000).toISOString();
    const key = await fx().vault.keys.get("alice");
    assert.ok(key);
    await fx().vault.keys.set("alice", { ...key, addedAt: sixMonths });
    const { report } = await doctor(fx(), ["project-a", "--max-key-age", "90"]);
    const vault = stepOf(report, "vault");
    assert.equal(vault.status, "warning");
    assert.match(vault.evidence.join("\n"), /180 days ago; rotation age 90 days/);
    assert.equal(vault.fix, "tobira rotate alice");
  });
});

withSandbox(
  "an MFA role profile the AWS CLI can use, with KMS on (AssumeRoleTokenProviderNotSetError)",
  undefined,
  (fx) => {
    test("names the plugin's failure and the way around it", async () => {
      const key = fx().aliceKey;
      const credentials = join(fx().root, "credentials");
      writeFileSync(
        credentials,
        `[alice]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
        { mode: 0o600 },
      );
      const { code, report } = await doctor(fx(), ["project-a", "web-a"], {
        AWS_SHARED_CREDENTIALS_FILE: credentials,
      });
      assert.equal(code, 0, "warnings only: tobira itself gets through");
      onlyThese(report, { config: "warning", preferences: "warning" });
      const preferences = stepOf(report, "preferences");
      assert.match(
        preferences.evidence.join("\n"),
        /AssumeRoleTokenProviderNotSetError: assume role with MFA enabled, but AssumeRoleTokenProvider session option not set/,
      );
      assert.match(preferences.fix ?? "", /tobira shell i-0a1a0000000000001 --profile project-a/);
      assert.match(preferences.fix ?? "", /credential_process = tobira credential-process project-a/);
      const config = stepOf(report, "config");
      assert.match(config.summary, /\[alice\] holds a long-term access key in clear/);
      assert.match(config.fix ?? "", /^tobira add alice/);
    });
  },
);

withSandbox("kms:GenerateDataKey missing on the user's role", generateDataKeyMissing(), (fx) => {
  test("the user's side fails, naming the statement to add; the instance side is fine", async () => {
    const { code, report } = await doctor(fx(), ["project-a", "web-a"]);
    assert.equal(code, 1);
    onlyThese(report, { "kms-user": "failure" });
    const kms = stepOf(report, "kms-user");
    assert.match(
      kms.evidence.join("\n"),
      new RegExp(`is not authorized to perform: kms:GenerateDataKey on resource: ${KEY_ARN}`),
    );
    assert.equal(kms.summary, `your role lacks kms:GenerateDataKey on ${KEY_ARN}`);
    assert.match(
      kms.fix ?? "",
      new RegExp(
        `^add to arn:aws:iam::222222222222:role/project-a-operator's policy: \\{"Effect":"Allow","Action":"kms:GenerateDataKey","Resource":"${KEY_ARN}"\\}`,
      ),
    );
  });
});

withSandbox("kms:Decrypt missing on the instance role", decryptMissing(), (fx) => {
  test("the instance's side fails, naming the instance role and its statement; the user's side is fine", async () => {
    const { code, report } = await doctor(fx(), ["project-a", "web-a"]);
    assert.equal(code, 1);
    onlyThese(report, { "kms-instance": "failure" });
    const kms = stepOf(report, "kms-instance");
    assert.match(kms.evidence.join("\n"), /kms:Decrypt on .*: implicitDeny/);
    assert.match(kms.summary, /the instance role lacks kms:Decrypt/);
    assert.match(
      kms.fix ?? "",
      new RegExp(
        `^add to arn:aws:iam::222222222222:role/SSMInstanceRole's policy: \\{"Effect":"Allow","Action":"kms:Decrypt","Resource":"${KEY_ARN}"\\}`,
      ),
    );
  });
});

withSandbox("MFA not registered", undefined, (fx) => {
  test("carol's device is not there: the MFA step says so and how to register one", async () => {
    const carol = defaultWorld().users.find((u) => u.name === "carol")!.accessKeys[0]!;
    await fx().vault.keys.set("carol", {
      accessKeyId: carol.id,
      secretAccessKey: carol.secret,
      addedAt: new Date().toISOString(),
    });
    const config = fx().env.AWS_CONFIG_FILE!;
    writeFileSync(
      config,
      `${readFileSync(config, "utf8")}\n[profile carol-ops]\nregion = ap-northeast-1\nrole_arn = arn:aws:iam::222222222222:role/project-a-operator\nsource_profile = carol\nmfa_serial = arn:aws:iam::111111111111:mfa/carol\n`,
    );
    const { code, report } = await doctor(fx(), ["carol-ops"], { AWS_ENDPOINT_URL: fx().sandbox.endpoint });
    assert.equal(code, 1);
    const mfa = stepOf(report, "mfa");
    assert.equal(mfa.status, "failure");
    assert.equal(mfa.summary, "carol has no MFA device registered");
    assert.match(mfa.evidence.join("\n"), /ListMFADevices: no device/);
    assert.match(
      mfa.fix ?? "",
      /aws iam create-virtual-mfa-device --virtual-mfa-device-name carol .*aws iam enable-mfa-device --user-name carol --serial-number arn:aws:iam::111111111111:mfa\/carol/,
    );
    assert.deepEqual(
      report.steps.slice(0, 2).map((s) => s.status),
      ["ok", "ok"],
    );
    assert.ok(
      report.steps.slice(3).every((s) => s.status === "unchecked"),
      "the hops say they were not checked",
    );
  });
});

withSandbox("a role chain asking for more than an hour", chainedRole(), (fx) => {
  test("the chained hop is named with its duration_seconds line and the one-hour fix", async () => {
    const config = fx().env.AWS_CONFIG_FILE!;
    writeFileSync(
      config,
      `${readFileSync(config, "utf8")}\n[profile ops-admin]\nregion = ap-northeast-1\nrole_arn = ${CHAINED_ROLE}\nsource_profile = switch\nduration_seconds = 7200\n`,
    );
    const lines = readFileSync(config, "utf8").split("\n");
    const durationLine = lines.indexOf("duration_seconds = 7200") + 1;
    const { code, report } = await doctor(fx(), ["ops-admin"], { AWS_ENDPOINT_URL: fx().sandbox.endpoint });
    assert.equal(code, 0, "a warning: tobira caps the hop and gets through");
    onlyThese(report, { "sts:2": "warning" });
    const hop = stepOf(report, "sts:2");
    assert.match(
      hop.summary,
      new RegExp(
        `duration_seconds = 7200 \\(${config.replaceAll("/", "\\/")} line ${durationLine}\\) asks more than the one hour AWS allows a chained role`,
      ),
    );
    assert.equal(
      hop.fix,
      `set "duration_seconds = 3600" in [profile ops-admin] (${config} line ${durationLine})`,
    );
  });
});

withSandbox("the agent offline", agentOffline(), (fx) => {
  test("the agent step fails with its ping status and the restart command", async () => {
    const { code, report } = await doctor(fx(), ["project-a", "web-a"]);
    assert.equal(code, 1);
    onlyThese(report, { agent: "failure" });
    const agent = stepOf(report, "agent");
    assert.equal(agent.summary, "web-a (i-0a1a0000000000001)'s agent is ConnectionLost, not Online");
    assert.match(agent.fix ?? "", /sudo systemctl restart amazon-ssm-agent/);
  });
});

withSandbox("the Run As user missing on the instance", runAsUserMissing(), (fx) => {
  test("the trial session fails in the agent's words and the fix creates the user", async () => {
    const { code, report } = await doctor(fx(), ["project-a", "web-a"]);
    assert.equal(code, 1);
    onlyThese(report, { session: "failure" });
    const session = stepOf(report, "session");
    assert.match(session.evidence.join("\n"), /RunAs user os-user1 does not exist/);
    assert.match(session.fix ?? "", /^create os-user1 on i-0a1a0000000000001 \(sudo useradd -m os-user1\)/);
  });
});

withSandbox("a tag that does not match", tagMismatch(), (fx) => {
  test("StartSession is refused, and the mismatching tag is named with both values", async () => {
    const { code, report } = await doctor(fx(), ["project-a", "web-a"]);
    assert.equal(code, 1);
    onlyThese(report, { "start-session": "failure" });
    const start = stepOf(report, "start-session");
    assert.equal(
      start.summary,
      "tag Project does not match: Project: the target has projecta, the role has project-a",
    );
    assert.match(start.evidence.join("\n"), /instance\/i-0a1a0000000000001: implicitDeny/);
    assert.match(start.fix ?? "", /--tags Key=Project,Value=project-a/);
  });
});

withSandbox("config conflicts", undefined, (fx) => {
  /** The user's config with `edit` applied, in a file of its own, as AWS_CONFIG_FILE. */
  function configWith(name: string, edit: (text: string) => string): NodeJS.ProcessEnv {
    const path = join(fx().root, name);
    writeFileSync(path, edit(readFileSync(fx().env.AWS_CONFIG_FILE!, "utf8")));
    return { AWS_CONFIG_FILE: path };
  }

  test("a key written twice fails the config step naming the file and the key", async () => {
    const env = configWith("config-twice", (text) =>
      text.replace("[profile project-a]\n", "[profile project-a]\nregion = us-west-2\n"),
    );
    const { code, report } = await doctor(fx(), ["project-a"], env);
    assert.equal(code, 1);
    const config = stepOf(report, "config");
    assert.equal(config.status, "failure");
    assert.match(config.summary, /config-twice/);
    assert.match(config.summary, /region/);
    assert.ok(config.fix, "a fix is given");
    assert.ok(
      report.steps.slice(1).every((s) => s.status === "unchecked"),
      "nothing else is guessed",
    );
  });

  test("a profile without region is a warning naming the section to add it to", async () => {
    const env = configWith("config-no-region", (text) =>
      text.replace(/(\[profile project-a\]\n)region = ap-northeast-1\n/, "$1"),
    );
    const { report } = await doctor(fx(), ["project-a"], env);
    const config = stepOf(report, "config");
    assert.equal(config.status, "warning");
    assert.equal(config.summary, "profile 'project-a' names no region (and AWS_REGION is not set)");
    assert.match(
      config.fix ?? "",
      /^add the line "region = ap-northeast-1" \(your region\) under \[profile project-a\] in \S+config-no-region \(line \d+\)$/,
    );
  });
});

describe("a clock 90 seconds off the endpoint's", { skip, timeout }, () => {
  let fx: SandboxUser;
  before(async () => {
    fx = await startSandboxUser({ label: "doctor-clock", clock: () => Date.now() + 90_000 });
  });
  after(async () => {
    await fx?.close();
  });

  test("the MFA step measures the skew from the Date header and says how to set the clock", async () => {
    const { report } = await doctor(fx, ["alice"]);
    const mfa = stepOf(report, "mfa");
    assert.equal(mfa.status, "warning");
    assert.match(mfa.summary, /^clock skew: the endpoint's clock is (89|90|91) s ahead of this machine's$/);
    assert.match(mfa.fix ?? "", /timedatectl set-ntp true/);
  });
});

withSandbox("a role that may not ask IAM's simulator nor read itself", noDiagnosisGrants(), (fx) => {
  test("the steps it cannot check say so and why, and the trial session still shows the way works", async () => {
    const { code, report } = await doctor(fx(), ["project-a", "web-a"]);
    assert.equal(code, 0, "nothing failed");
    onlyThese(report, {
      "start-session": "unchecked",
      preferences: "unchecked",
      "kms-user": "unchecked",
      "kms-instance": "unchecked",
      session: "ok",
    });
    assert.match(
      stepOf(report, "start-session").summary,
      /^not checked: IAM's simulator refused: AccessDenied: .*iam:SimulatePrincipalPolicy/,
    );
    assert.match(
      stepOf(report, "preferences").summary,
      /^not checked: the document cannot be read: AccessDeniedException/,
    );
    assert.match(
      stepOf(report, "sts:1").evidence.join("\n"),
      /role not read: the role may not call iam:GetRole on itself/,
    );
    assert.equal(stepOf(report, "session").status, "ok");
  });
});
