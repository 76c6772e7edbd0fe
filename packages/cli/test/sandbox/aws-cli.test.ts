// The AWS CLI v2 against a sandbox started by the built CLI: signed STS and IAM calls, MFA, and denials.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  awsCli,
  awsCliPath,
  cleanEnv,
  endpointFrom,
  makeStateDir,
  type RunResult,
  tobira,
} from "./built-cli.js";

const SWITCH_ROLE = "arn:aws:iam::222222222222:role/Role-for-switch";
const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
const BOB_MFA = "arn:aws:iam::111111111111:mfa/bob";

/** The fields of the AWS CLI's JSON output these tests read. */
interface AwsOutput {
  Arn?: string;
  Account?: string;
  Credentials?: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  AssumedRoleUser?: { Arn: string };
  AccessKeyMetadata?: { UserName: string }[];
}

function json(result: RunResult): AwsOutput {
  assert.equal(result.code, 0, `aws exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

function assertDenied(result: RunResult, pattern: RegExp): void {
  assert.notEqual(result.code, 0, `expected a denial, got: ${result.stdout}`);
  assert.match(result.stderr, /\(AccessDenied\)/);
  assert.match(result.stderr, pattern);
}

describe("the AWS CLI v2 against the sandbox", () => {
  const state = makeStateDir("awscli");
  let endpoint = "";
  let env: NodeJS.ProcessEnv = {};
  let region = "";

  const aws = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    awsCli([...args, "--endpoint-url", endpoint], { ...env, ...extraEnv });
  const mfaCode = async (serial: string) => {
    const result = await tobira(["sandbox", "mfa-code", serial, "--state", state.dir]);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout.trim();
  };

  before(async () => {
    const up = await tobira(["sandbox", "up", "--detach", "--state", state.dir]);
    assert.equal(up.code, 0, up.stderr);
    endpoint = endpointFrom(up.stdout);
    env = cleanEnv({
      AWS_CONFIG_FILE: join(state.dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(state.dir, "credentials"),
    });
    const config = readFileSync(join(state.dir, "config"), "utf8");
    region = /^region\s*=\s*(\S+)$/m.exec(config)?.[1] ?? "";
    assert.notEqual(region, "", "the config file names a region");
  });

  after(async () => {
    await tobira(["sandbox", "down", "--state", state.dir]);
    state.remove();
  });

  test(`${awsCliPath} is the AWS CLI v2 (install Debian's awscli, or set TOBIRA_AWS_CLI)`, async () => {
    const version = await awsCli(["--version"], env);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout + version.stderr, /^aws-cli\/2\./);
  });

  test("sts get-caller-identity is signed with alice's key and names her", async () => {
    const identity = json(await aws(["sts", "get-caller-identity", "--profile", "alice"]));
    assert.equal(identity.Arn, "arn:aws:iam::111111111111:user/alice");
    assert.equal(identity.Account, "111111111111");
  });

  test("an unknown access key is refused as AWS refuses it", async () => {
    const result = await aws(["sts", "get-caller-identity"], {
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_DEFAULT_REGION: region,
    });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /\(InvalidClientTokenId\)/);
  });

  test("alice's key id signed with a wrong secret is refused with SignatureDoesNotMatch", async () => {
    const credentials = readFileSync(join(state.dir, "credentials"), "utf8");
    const aliceKey = /\[alice\][^[]*?aws_access_key_id\s*=\s*(\S+)/.exec(credentials)?.[1];
    assert.ok(aliceKey, "alice's key id in the credentials file");
    const result = await aws(["sts", "get-caller-identity"], {
      AWS_ACCESS_KEY_ID: aliceKey,
      AWS_SECRET_ACCESS_KEY: "0000000000000000000000000000000000000000",
      AWS_DEFAULT_REGION: region,
    });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /\(SignatureDoesNotMatch\)/);
  });

  test("sts get-session-token with MFA gives credentials that carry MFA into IAM calls", async () => {
    const code = await mfaCode(ALICE_MFA);
    const token = json(
      await aws([
        "sts",
        "get-session-token",
        "--profile",
        "alice",
        "--serial-number",
        ALICE_MFA,
        "--token-code",
        code,
      ]),
    );
    const credentials = token.Credentials!;
    assert.match(credentials.AccessKeyId, /^ASIA/);
    const session = {
      AWS_ACCESS_KEY_ID: credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: credentials.SessionToken,
      AWS_DEFAULT_REGION: region,
    };
    const identity = json(await aws(["sts", "get-caller-identity"], session));
    assert.equal(identity.Arn, "arn:aws:iam::111111111111:user/alice");

    const keys = json(await aws(["iam", "list-access-keys"], session));
    const metadata = keys.AccessKeyMetadata ?? [];
    assert.ok(metadata.length >= 1);
    assert.ok(metadata.every((key) => key.UserName === "alice"));
  });

  test("iam list-access-keys with alice's long-term key and no MFA is denied", async () => {
    const result = await aws(["iam", "list-access-keys", "--profile", "alice"]);
    assertDenied(result, /user\/alice is not authorized to perform: iam:ListAccessKeys/);
  });

  test("sts assume-role with MFA is allowed, and the same code a second time is refused", async () => {
    const stepBefore = Math.floor(Date.now() / 30_000);
    const code = await mfaCode(BOB_MFA);
    const assume = (sessionName: string) =>
      aws([
        "sts",
        "assume-role",
        "--profile",
        "bob",
        "--role-arn",
        SWITCH_ROLE,
        "--role-session-name",
        sessionName,
        "--serial-number",
        BOB_MFA,
        "--token-code",
        code,
      ]);
    const allowed = json(await assume("e2e-first"));
    assert.equal(
      allowed.AssumedRoleUser?.Arn,
      "arn:aws:sts::222222222222:assumed-role/Role-for-switch/e2e-first",
    );
    assert.match(allowed.Credentials?.AccessKeyId ?? "", /^ASIA/);

    assertDenied(await assume("e2e-reused"), /MultiFactorAuthentication failed/);

    // Like a phone app, mfa-code never hands out the used code: within its step it waits and says so.
    const callStep = Math.floor(Date.now() / 30_000);
    const next = await tobira(["sandbox", "mfa-code", BOB_MFA, "--state", state.dir]);
    assert.equal(next.code, 0, next.stderr);
    const stepAfter = Math.floor(Date.now() / 30_000);
    assert.notEqual(next.stdout.trim(), code);
    if (callStep === stepBefore) {
      if (next.stderr === "") {
        // Only a child that started after the step turned (a loaded machine) may answer without waiting.
        assert.ok(stepAfter > callStep, "mfa-code handed out a code in the step whose code was used");
      } else {
        assert.match(
          next.stderr,
          /^the current code of \S+mfa\/bob was already used; waiting \d+ s for the next one\n$/,
        );
      }
    }
  });

  test("sts assume-role without MFA is denied", async () => {
    const result = await aws([
      "sts",
      "assume-role",
      "--profile",
      "alice",
      "--role-arn",
      SWITCH_ROLE,
      "--role-session-name",
      "no-mfa",
    ]);
    assertDenied(result, /is not authorized to perform: sts:AssumeRole on resource: .*Role-for-switch/);
  });

  test("carol, without an MFA device, is denied the role", async () => {
    const result = await aws([
      "sts",
      "assume-role",
      "--profile",
      "carol",
      "--role-arn",
      SWITCH_ROLE,
      "--role-session-name",
      "carol",
    ]);
    assertDenied(result, /user\/carol is not authorized to perform: sts:AssumeRole/);
  });
});
