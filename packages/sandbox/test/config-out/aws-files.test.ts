// The sandbox's AWS config and credentials files, read back with the AWS SDK's own INI loader.

import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { writeAwsFiles } from "../../src/config-out/index.js";
import { defaultWorld, parseWorld } from "../../src/world/index.js";

const ENDPOINT = "http://127.0.0.1:4599";
const scratch = mkdtempSync(join(tmpdir(), "tobira-config-out-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function writeAndLoad(folderName: string, world = defaultWorld()) {
  const stateDir = join(scratch, folderName);
  const paths = writeAwsFiles(stateDir, world, ENDPOINT);
  const files = await loadSharedConfigFiles({
    filepath: paths.credentialsPath,
    configFilepath: paths.configPath,
    ignoreCache: true,
  });
  return { stateDir, paths, ...files };
}

describe("writeAwsFiles with the default world", () => {
  it("writes exactly the six IAM profiles and two Identity Center ones, each with region and endpoint_url", async () => {
    const { configFile } = await writeAndLoad("profiles");
    assert.deepEqual(Object.keys(configFile).sort(), [
      "alice",
      "bob",
      "carol",
      "project-a",
      "project-b",
      "sso-ReadOnly-111111111111",
      "sso-SessionOperator-222222222222",
      "sso-session.sandbox",
      "switch",
    ]);
    for (const [name, profile] of Object.entries(configFile)) {
      if (name.startsWith("sso-session.")) continue;
      assert.equal(profile.region, "ap-northeast-1", name);
      assert.equal(profile.endpoint_url, ENDPOINT, name);
    }
  });

  it("writes the Identity Center instance as an sso-session and profiles naming it, as `aws configure sso` does", async () => {
    const { configFile, stateDir } = await writeAndLoad("sso");
    assert.deepEqual(configFile["sso-SessionOperator-222222222222"], {
      sso_session: "sandbox",
      sso_account_id: "222222222222",
      sso_role_name: "SessionOperator",
      region: "ap-northeast-1",
      endpoint_url: ENDPOINT,
    });
    const text = readFileSync(join(stateDir, "config"), "utf8");
    assert.match(
      text,
      /\[sso-session sandbox\]\nsso_start_url = https:\/\/d-956700a1b2\.awsapps\.com\/start\nsso_region = ap-northeast-1\nsso_registration_scopes = sso:account:access\n/,
    );
  });

  it("gives user profiles no role keys and role profiles role_arn, source_profile and alice's mfa_serial", async () => {
    const { configFile } = await writeAndLoad("roles");
    assert.deepEqual(configFile.alice, { region: "ap-northeast-1", endpoint_url: ENDPOINT });
    const expectedRoles: Record<string, string> = {
      switch: "arn:aws:iam::222222222222:role/Role-for-switch",
      "project-a": "arn:aws:iam::222222222222:role/project-a-operator",
      "project-b": "arn:aws:iam::222222222222:role/project-b-operator",
    };
    for (const [name, roleArn] of Object.entries(expectedRoles)) {
      assert.deepEqual(configFile[name], {
        region: "ap-northeast-1",
        endpoint_url: ENDPOINT,
        role_arn: roleArn,
        source_profile: "alice",
        mfa_serial: "arn:aws:iam::111111111111:mfa/alice",
      });
    }
  });

  it("puts each user's active access key in the credentials file, and nothing for role profiles", async () => {
    const { credentialsFile } = await writeAndLoad("credentials");
    assert.deepEqual(credentialsFile, {
      alice: {
        aws_access_key_id: "AKIARTXV5AHDVR4Y4QA2",
        aws_secret_access_key: "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",
      },
      bob: {
        aws_access_key_id: "AKIARTXV5AHDQH22S7PC",
        aws_secret_access_key: "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",
      },
      carol: {
        aws_access_key_id: "AKIARTXV5AHDYJUNXBXC",
        aws_secret_access_key: "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",
      },
    });
  });

  it("makes the files 0600 and the folder 0700, even over a looser existing folder and file", async () => {
    const stateDir = join(scratch, "modes");
    writeAwsFiles(stateDir, defaultWorld(), ENDPOINT);
    chmodSync(stateDir, 0o755);
    writeFileSync(join(stateDir, "credentials"), "old", { mode: 0o644 });
    chmodSync(join(stateDir, "credentials"), 0o644);
    const { configPath, credentialsPath } = writeAwsFiles(stateDir, defaultWorld(), ENDPOINT);
    assert.equal(statSync(stateDir).mode & 0o777, 0o700);
    assert.equal(statSync(configPath).mode & 0o777, 0o600);
    assert.equal(statSync(credentialsPath).mode & 0o777, 0o600);
    // No temp files are left behind.
    assert.deepEqual(readdirSync(stateDir).sort(), ["config", "credentials"]);
  });
});

describe("writeAwsFiles with other worlds", () => {
  const world = parseWorld(
    `
region: eu-west-1
accounts: [{ id: "333333333333" }]
users:
  - name: dave
    account: "333333333333"
    accessKeys:
      - { id: AKIAAAAAAAAAAAAAAAA2, secret: "0000000000000000000000000000000000000000", status: Inactive }
      - { id: AKIAAAAAAAAAAAAAAAA3, secret: "1111111111111111111111111111111111111111" }
  - name: erin
    account: "333333333333"
roles:
  - name: admin
    account: "333333333333"
    maxSessionDuration: 7200
    trust: { Statement: { Effect: Allow, Principal: { AWS: "333333333333" }, Action: sts:AssumeRole } }
profiles:
  - { name: ops, role: admin, sourceProfile: dave, durationSeconds: 7200, region: us-east-1 }
`,
    "inline.yaml",
  );

  it("uses the first active key, writes no credentials for a user without one, and adds duration_seconds", async () => {
    const { configFile, credentialsFile } = await writeAndLoad("other", world);
    assert.deepEqual(Object.keys(configFile).sort(), ["dave", "erin", "ops"]);
    assert.deepEqual(configFile.ops, {
      region: "us-east-1",
      endpoint_url: ENDPOINT,
      role_arn: "arn:aws:iam::333333333333:role/admin",
      source_profile: "dave",
      duration_seconds: "7200",
    });
    assert.equal(configFile.dave?.region, "eu-west-1");
    assert.deepEqual(credentialsFile, {
      dave: {
        aws_access_key_id: "AKIAAAAAAAAAAAAAAAA3",
        aws_secret_access_key: "1111111111111111111111111111111111111111",
      },
    });
  });

  it("gives a hand-built world without profiles one profile per user", async () => {
    const bare = { ...world };
    delete bare.profiles;
    const { configFile } = await writeAndLoad("bare", bare);
    assert.deepEqual(Object.keys(configFile).sort(), ["dave", "erin"]);
  });

  it("refuses an endpoint that is not an http URL, before writing anything", () => {
    const stateDir = join(scratch, "bad-endpoint");
    assert.throws(
      () => writeAwsFiles(stateDir, world, "127.0.0.1:4599\n[profile x]"),
      /endpoint must be an http\(s\) URL/,
    );
    assert.throws(() => statSync(stateDir), { code: "ENOENT" });
  });

  it("writes INI a plain reader agrees with: a blank line between sections, key = value", () => {
    const { configPath } = writeAwsFiles(join(scratch, "text"), world, ENDPOINT);
    const text = readFileSync(configPath, "utf8");
    assert.match(
      text,
      /\n\[profile ops\]\nregion = us-east-1\nendpoint_url = http:\/\/127\.0\.0\.1:4599\nrole_arn = /,
    );
  });
});
