// `tobira demo` through the built CLI: the narrated flow runs against a fresh sandbox and decides as AWS would.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { makeStateDir, tobira } from "../sandbox/built-cli.js";

describe("tobira demo", () => {
  const state = makeStateDir("demo");
  after(() => state.remove());

  test("walks through the SDK calls, alice's working session and her Session Manager sessions with the real CLI, within 100 columns", async () => {
    const result = await tobira(["demo"]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout;
    assert.match(out, /── 1\/\d+ {2}A signed call/);
    assert.match(out, /Arn:\s+arn:aws:iam::111111111111:user\/alice/);
    assert.match(out, /assumed role:\s+arn:aws:sts::222222222222:assumed-role\/Role-for-switch\/tobira-demo/);
    assert.match(out, /sts:AssumeRole without MFA: denied\n\s+AccessDenied: /);
    assert.match(out, /sts:AssumeRole as carol: denied\n\s+AccessDenied: .*user\/carol/);
    assert.doesNotMatch(out, /expected: /, "no call ended other than AWS would decide it");
    assert.doesNotMatch(out, /NOT AS EXPECTED/);

    // The credential steps: the real CLI in separate processes, the audit log as the witness.
    const section = (title: RegExp) => {
      const start = out.search(title);
      assert.ok(start >= 0, `no step ${title}`);
      const next = out.indexOf("\n── ", start + 1);
      return out.slice(start, next < 0 ? undefined : next);
    };
    const add = section(/── \d+\/\d+ {2}tobira add/);
    assert.match(add, /\$ AWS_ACCESS_KEY_ID=AKIA… AWS_SECRET_ACCESS_KEY=… tobira add alice --env\n/);
    assert.match(add, /Stored access key AKIA…\w{4} for profile 'alice' in the .*vault\./);
    assert.match(add, /tobira_mfa_process = tobira sandbox mfa-code alice\n/);
    assert.match(add, /credential_process = tobira credential-process switch\n/);

    const switchStep = section(/── \d+\/\d+ {2}tobira exec switch/);
    assert.match(switchStep, /\$ tobira exec switch -- node whoami\.mjs\n/);
    assert.match(switchStep, /Arn: arn:aws:sts::222222222222:assumed-role\/Role-for-switch\/alice\n/);
    assert.match(
      switchStep,
      /sts:GetSessionToken → Allow\n\s+by arn:aws:iam::111111111111:user\/alice \(AKIA… key\), with MFA/,
    );
    assert.match(
      switchStep,
      /sts:AssumeRole → Allow\n\s+by arn:aws:iam::111111111111:user\/alice \(ASIA… key\)/,
    );
    assert.match(switchStep, /MFA codes sent for this working session: 1: as expected/);

    const projectA = section(/── \d+\/\d+ {2}tobira exec project-a/);
    assert.match(projectA, /Arn: arn:aws:sts::222222222222:assumed-role\/project-a-operator\/alice\n/);
    assert.doesNotMatch(projectA, /GetSessionToken/, "no second MFA session");
    assert.match(projectA, /MFA codes sent for this working session: still 1: as expected/);

    const cached = section(/── \d+\/\d+ {2}A second call is served from the cache/);
    assert.equal((cached.match(/ line \d+ {2}sts:/g) ?? []).length, 1, `only the child's call:\n${cached}`);
    assert.match(
      cached,
      /line \d+ {2}sts:GetCallerIdentity → Allow\n\s+by arn:aws:sts::222222222222:assumed-role/,
    );

    const awsCli = section(/── \d+\/\d+ {2}The AWS CLI gets its credentials/);
    if (/Skipped:/.test(awsCli)) {
      assert.match(awsCli, /is not the AWS CLI v2 here/);
    } else {
      assert.match(awsCli, /\$ aws sts get-caller-identity --profile switch-cli --endpoint-url http/);
      assert.match(awsCli, /"Arn": "arn:aws:sts::222222222222:assumed-role\/Role-for-switch\/alice"/);
      assert.match(awsCli, /STS calls made by tobira: none \(a cache hit\): as expected/);
    }
    // Session Manager with the same working session: targets, a KMS-encrypted `run`, a refused one.
    const targets = section(/── \d+\/\d+ {2}tobira targets/);
    assert.match(targets, /\$ tobira targets --profile project-a\n/);
    for (const [id, name, project] of [
      ["i-0a1a0000000000001", "web-a", "project-a"],
      ["i-0a1a0000000000002", "db-a", "project-a"],
      ["i-0b1b0000000000001", "web-b", "project-b"],
    ])
      assert.match(targets, new RegExp(`${id} +${name} +running +Online +Linux +${project}\n`));

    const run = section(/── \d+\/\d+ {2}tobira run web-a/);
    assert.match(run, /\$ tobira run web-a --profile project-a -- sh -c 'whoami; echo "\$USER"; uname -s;/);
    // Between stdout and the remote stderr: the gateway's customer message (a Run As note where os-user1 does not
    // exist here, then the KMS banner), all on stderr.
    assert.match(
      run,
      /\n {4}os-user1\n {4}Linux\n(?: {4}[^\n]*\n)*? {4}\(stderr\) This session is encrypted using AWS KMS\.\n {4}\(stderr\) to stderr\n {4}\$ echo \$\?\n {4}3\n/,
    );
    assert.doesNotMatch(run, /^ {4}This session is encrypted/m, "the banner never reaches stdout");
    assert.match(
      run,
      /kms:GenerateDataKey → Allow\n\s+by arn:aws:sts::222222222222:assumed-role\/project-a-operator\/alice /,
    );
    assert.match(
      run,
      /kms:Decrypt → Allow\n\s+by arn:aws:sts::222222222222:assumed-role\/SSMInstanceRole\/i-0a1a0000000000001/,
    );
    const contexts = run.match(/context aws:ssm:SessionId=(alice-\w+)\n/g) ?? [];
    assert.equal(contexts.length, 2, run);
    assert.equal(contexts[0], contexts[1], "GenerateDataKey and Decrypt name the same session");
    assert.match(run, /context aws:ssm:TargetId=i-0a1a0000000000001\n/);

    const denied = section(/── \d+\/\d+ {2}tobira run web-b/);
    assert.match(
      denied,
      /\(stderr\) tobira: An error occurred \(AccessDeniedException\) when calling the StartSession\s+operation: User: arn:aws:sts::222222222222:assumed-role\/project-a-operator\/alice is not\s+authorized to perform: ssm:StartSession on resource:\s+arn:aws:ec2:ap-northeast-1:222222222222:instance\/i-0b1b0000000000001/,
    );
    assert.match(denied, /\$ echo \$\?\n {4}1\n/);
    assert.match(denied, /ssm:StartSession → ImplicitDeny/);
    assert.match(
      denied,
      /MFA codes sent for this working session: still 1 \(targets, run, run\): as expected/,
    );

    const auditLines = out.slice(out.indexOf("What decided each call")).match(/^ {2}line \d+ {2}/gm) ?? [];
    assert.equal(auditLines.length, 10, `one audit line per call:\n${out}`);
    for (const line of out.split("\n"))
      assert.ok([...line].length <= 100, `longer than 100 columns: ${line}`);
    const temp = /^ {2}config: +(\S+)\/config$/m.exec(out)?.[1];
    assert.ok(temp && !existsSync(temp), "the temporary state folder is removed afterwards");
  });

  test("with --state, the sandbox's files stay and the audit log holds the decisions", async () => {
    const result = await tobira(["demo", "--state", state.dir]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /files stay in/);
    const entries = readFileSync(join(state.dir, "audit.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const decisions = entries.filter((e) => e.action === "AssumeRole").map((e) => e.decision);
    assert.ok(decisions.includes("Allow"), JSON.stringify(decisions));
    assert.ok(
      decisions.some((d) => d === "ExplicitDeny" || d === "ImplicitDeny"),
      JSON.stringify(decisions),
    );
  });
});
