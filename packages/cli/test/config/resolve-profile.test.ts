// resolveProfile: the AWS CLI's chain rules (botocore's AssumeRoleProvider and provider order), aws-vault's
// additions, and errors that name the file, section and key.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { resolveProfile } from "../../src/config/index.js";
import { type ConfigError, UsageError } from "../../src/errors.js";
import {
  assertErrorNames,
  SANDBOX_CONFIG,
  SANDBOX_CREDENTIALS,
  thrownBy,
  writeAwsFiles,
} from "./aws-files-fixture.js";

const NO_ENV = {};

async function resolveIn(
  files: { config?: string; credentials?: string },
  name: string,
  storedKeys?: string[],
) {
  const loaded = await writeAwsFiles(files).load();
  return resolveProfile(loaded, name, { env: NO_ENV, ...(storedKeys ? { storedKeys } : {}) });
}

async function failureOf(
  files: { config?: string; credentials?: string },
  name: string,
  storedKeys?: string[],
) {
  const written = writeAwsFiles(files);
  const loaded = await written.load();
  const options = { env: NO_ENV, ...(storedKeys ? { storedKeys } : {}) };
  return { error: await thrownBy(() => resolveProfile(loaded, name, options)), ...written };
}

describe("the sandbox's config", () => {
  test("switch: alice's keys from the credentials file, then switch's role with alice's MFA device", async () => {
    const written = writeAwsFiles({ config: SANDBOX_CONFIG, credentials: SANDBOX_CREDENTIALS });
    const resolved = resolveProfile(await written.load(), "switch", { env: NO_ENV });
    assert.deepEqual(resolved, {
      name: "switch",
      source: {
        kind: "static",
        profile: "alice",
        fromFile: {
          accessKeyId: "AKIAALICEEXAMPLE0001",
          secretAccessKey: "aliceSecretKeyExample0000000000000000001",
          file: written.credentialsPath,
          section: "alice",
        },
      },
      roles: [
        {
          profile: "switch",
          roleArn: "arn:aws:iam::222222222222:role/Role-for-switch",
          mfaSerial: "arn:aws:iam::111111111111:mfa/alice",
          region: "ap-northeast-1",
          endpointUrl: "http://127.0.0.1:4566",
        },
      ],
      settings: {
        region: "ap-northeast-1",
        endpointUrl: "http://127.0.0.1:4566",
        mfaSerial: "arn:aws:iam::111111111111:mfa/alice",
        tobira: {},
      },
      region: "ap-northeast-1",
      regionFrom: "profile",
      endpointUrl: "http://127.0.0.1:4566",
      endpointUrlFrom: "profile",
      sourceUser: {
        profile: "alice",
        mfaSerial: "arn:aws:iam::111111111111:mfa/alice",
        mfaSerialProfile: "switch",
      },
    });
  });

  test("alice: an IAM user, no roles, no MFA device of her own", async () => {
    const resolved = await resolveIn({ config: SANDBOX_CONFIG, credentials: SANDBOX_CREDENTIALS }, "alice");
    assert.equal(resolved.source.kind, "static");
    assert.equal(resolved.source.profile, "alice");
    assert.deepEqual(resolved.roles, []);
    assert.equal(resolved.settings.mfaSerial, undefined);
    assert.deepEqual(resolved.sourceUser, { profile: "alice" });
  });

  test("without the credentials file alice's keys are left to the vault (no fromFile)", async () => {
    const resolved = await resolveIn({ config: SANDBOX_CONFIG }, "switch");
    assert.deepEqual(resolved.source, { kind: "static", profile: "alice" });
  });
});

describe("source_profile chains", () => {
  const chain = `[profile user]
mfa_serial = arn:aws:iam::111111111111:mfa/op
[profile hop1]
role_arn = arn:aws:iam::222222222222:role/One
source_profile = user
[profile hop2]
role_arn = arn:aws:iam::333333333333:role/Two
source_profile = hop1
region = eu-central-1
`;

  test("hops are listed from the source to the target", async () => {
    const resolved = await resolveIn({ config: chain }, "hop2");
    assert.deepEqual(resolved.source, { kind: "static", profile: "user" });
    assert.deepEqual(
      resolved.roles.map((hop) => [hop.profile, hop.roleArn]),
      [
        ["hop1", "arn:aws:iam::222222222222:role/One"],
        ["hop2", "arn:aws:iam::333333333333:role/Two"],
      ],
    );
  });

  test("mfa_serial is not inherited from source_profile; the user's own device is the source user's", async () => {
    const resolved = await resolveIn({ config: chain }, "hop2");
    assert.equal(resolved.settings.mfaSerial, undefined);
    assert.equal(resolved.roles[0]?.mfaSerial, undefined);
    assert.equal(resolved.roles[1]?.mfaSerial, undefined);
    assert.deepEqual(resolved.sourceUser, {
      profile: "user",
      mfaSerial: "arn:aws:iam::111111111111:mfa/op",
      mfaSerialProfile: "user",
    });
  });

  test("region is not inherited from source_profile (botocore: a role profile's region is its own)", async () => {
    const resolved = await resolveIn({ config: chain }, "hop1");
    assert.equal(resolved.settings.region, undefined);
    assert.equal(resolved.region, undefined);
    const deeper = await resolveIn({ config: chain }, "hop2");
    assert.equal(deeper.region, "eu-central-1");
    assert.equal(deeper.roles[0]?.region, undefined);
  });

  test("below the target, a profile's own keys win over its role_arn", async () => {
    const resolved = await resolveIn(
      {
        config: `[profile middle]
role_arn = arn:aws:iam::222222222222:role/Ignored
source_profile = elsewhere
[profile elsewhere]
[profile top]
role_arn = arn:aws:iam::333333333333:role/Top
source_profile = middle
`,
        credentials: "[middle]\naws_access_key_id = AKIAMIDDLE\naws_secret_access_key = m\n",
      },
      "top",
    );
    assert.equal(resolved.source.profile, "middle");
    assert.deepEqual(
      resolved.roles.map((hop) => hop.profile),
      ["top"],
    );
  });

  test("a missing source profile names the file, section and key", async () => {
    const { error, configPath } = await failureOf(
      {
        config:
          "[profile a]\nrole_arn = arn:aws:iam::222222222222:role/R\nsource_profile = alise\n[profile alice]\n",
      },
      "a",
    );
    assertErrorNames(error, [configPath, "section [profile a]", "key source_profile", "line 3", '"alise"']);
    assert.match((error as ConfigError).hint ?? "", /"alice"/);
  });

  test("a cycle is an error listing the chain", async () => {
    const { error, configPath } = await failureOf(
      {
        config: `[profile a]
role_arn = arn:aws:iam::111111111111:role/A
source_profile = b
[profile b]
role_arn = arn:aws:iam::111111111111:role/B
source_profile = c
[profile c]
role_arn = arn:aws:iam::111111111111:role/C
source_profile = a
`,
      },
      "a",
    );
    assertErrorNames(error, ["a → b → c → a", configPath, "section [profile c]", "key source_profile"]);
  });
});

describe("self-reference", () => {
  test("allowed when the section has its own keys: they are the source, its role goes on top", async () => {
    const resolved = await resolveIn(
      {
        config: "[profile me]\nrole_arn = arn:aws:iam::222222222222:role/R\nsource_profile = me\n",
        credentials: "[me]\naws_access_key_id = AKIAME\naws_secret_access_key = x\n",
      },
      "me",
    );
    assert.equal(resolved.source.kind, "static");
    assert.equal(resolved.source.profile, "me");
    assert.equal(resolved.source.kind === "static" ? resolved.source.fromFile?.accessKeyId : "", "AKIAME");
    assert.deepEqual(
      resolved.roles.map((hop) => hop.profile),
      ["me"],
    );
  });

  test("allowed when tobira's vault holds the profile's keys", async () => {
    const resolved = await resolveIn(
      { config: "[profile me]\nrole_arn = arn:aws:iam::222222222222:role/R\nsource_profile = me\n" },
      "me",
      ["me"],
    );
    assert.deepEqual(resolved.source, { kind: "static", profile: "me" });
    assert.equal(resolved.roles.length, 1);
  });

  test("when the vault is not listed, its keys are taken to be in the vault (asked for later)", async () => {
    const resolved = await resolveIn(
      {
        config:
          "[profile me]\nrole_arn = arn:aws:iam::222222222222:role/R\nsource_profile = me\nmfa_serial = arn:aws:iam::111111111111:mfa/me\n",
      },
      "me",
    );
    assert.deepEqual(resolved.source, { kind: "static", profile: "me" });
    assert.deepEqual(
      resolved.roles.map((hop) => [hop.profile, hop.mfaSerial]),
      [["me", "arn:aws:iam::111111111111:mfa/me"]],
    );
  });

  test("a loop when the section has no keys and the vault holds none for it", async () => {
    const { error, configPath } = await failureOf(
      { config: "[profile me]\nrole_arn = arn:aws:iam::222222222222:role/R\nsource_profile = me\n" },
      "me",
      ["someone-else"],
    );
    assertErrorNames(error, ["me → me", configPath, "section [profile me]", "key source_profile"]);
  });
});

describe("role_arn needs exactly one source", () => {
  test("neither source_profile nor credential_source", async () => {
    const { error, configPath } = await failureOf(
      { config: "[profile r]\nrole_arn = arn:aws:iam::222222222222:role/R\n" },
      "r",
    );
    assertErrorNames(error, [
      configPath,
      "section [profile r]",
      "key role_arn",
      "neither source_profile nor credential_source",
    ]);
  });

  test("both source_profile and credential_source", async () => {
    const { error, configPath } = await failureOf(
      {
        config:
          "[profile u]\n[profile r]\nrole_arn = arn:aws:iam::222222222222:role/R\nsource_profile = u\ncredential_source = Environment\n",
      },
      "r",
    );
    assertErrorNames(error, [
      configPath,
      "section [profile r]",
      "key source_profile",
      "key credential_source",
    ]);
  });

  for (const [value, kind] of [
    ["Environment", "environment"],
    ["Ec2InstanceMetadata", "ec2-metadata"],
    ["EcsContainer", "ecs-container"],
  ] as const) {
    test(`credential_source = ${value} → source kind ${kind}`, async () => {
      const resolved = await resolveIn(
        {
          config: `[profile r]\nrole_arn = arn:aws:iam::222222222222:role/R\ncredential_source = ${value}\n`,
        },
        "r",
      );
      assert.deepEqual(resolved.source, { kind, profile: "r" });
      assert.equal(resolved.roles[0]?.roleArn, "arn:aws:iam::222222222222:role/R");
      assert.equal(resolved.sourceUser, undefined);
    });
  }

  test("an unknown credential_source (spelling counts) names the key", async () => {
    const { error, configPath } = await failureOf(
      {
        config: "[profile r]\nrole_arn = arn:aws:iam::222222222222:role/R\ncredential_source = environment\n",
      },
      "r",
    );
    assertErrorNames(error, [configPath, "section [profile r]", "key credential_source", '"environment"']);
  });
});

describe("kinds of source", () => {
  test("credential_process", async () => {
    const resolved = await resolveIn(
      { config: "[profile p]\ncredential_process = /usr/bin/get-creds --x\n" },
      "p",
    );
    assert.deepEqual(resolved.source, { kind: "process", profile: "p", command: "/usr/bin/get-creds --x" });
    assert.equal(resolved.sourceUser, undefined);
  });

  test("a credential_process profile can be a role's source", async () => {
    const resolved = await resolveIn(
      {
        config:
          "[profile p]\ncredential_process = helper\n[profile r]\nrole_arn = arn:aws:iam::222222222222:role/R\nsource_profile = p\n",
      },
      "r",
    );
    assert.deepEqual(resolved.source, { kind: "process", profile: "p", command: "helper" });
    assert.equal(resolved.roles.length, 1);
  });

  test("keys in the credentials file beat credential_process (botocore's provider order)", async () => {
    const resolved = await resolveIn(
      {
        config: "[profile p]\ncredential_process = helper\n",
        credentials: "[p]\naws_access_key_id = AKIAP\naws_secret_access_key = s\n",
      },
      "p",
    );
    assert.equal(resolved.source.kind, "static");
  });

  test("credential_process beats keys in the config file (botocore's provider order)", async () => {
    const resolved = await resolveIn(
      {
        config:
          "[profile p]\naws_access_key_id = AKIAP\naws_secret_access_key = s\ncredential_process = helper\n",
      },
      "p",
    );
    assert.deepEqual(resolved.source, { kind: "process", profile: "p", command: "helper" });
  });

  test("keys in the config file are a static source too, with aws_session_token", async () => {
    const written = writeAwsFiles({
      config: "[profile p]\naws_access_key_id = ASIAP\naws_secret_access_key = s\naws_session_token = tok\n",
    });
    const resolved = resolveProfile(await written.load(), "p", { env: NO_ENV });
    assert.deepEqual(resolved.source, {
      kind: "static",
      profile: "p",
      fromFile: {
        accessKeyId: "ASIAP",
        secretAccessKey: "s",
        sessionToken: "tok",
        file: written.configPath,
        section: "profile p",
      },
    });
  });

  test("half a key pair is an error naming the file, section and missing key", async () => {
    const { error, credentialsPath } = await failureOf(
      { credentials: "[p]\naws_access_key_id = AKIAP\n" },
      "p",
    );
    assertErrorNames(error, [credentialsPath, "section [p]", "aws_secret_access_key"]);
  });

  test("an sso-session profile resolves as the AWS CLI reads it: the session's URL, region and scopes", async () => {
    const resolved = await resolveIn(
      {
        config:
          "[profile s]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Admin\n" +
          "[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = eu-west-1\n" +
          "sso_registration_scopes = sso:account:access\n",
      },
      "s",
    );
    assert.deepEqual(resolved.source, {
      kind: "sso",
      profile: "s",
      sso: {
        sessionName: "corp",
        startUrl: "https://d-1.awsapps.com/start",
        region: "eu-west-1",
        registrationScopes: ["sso:account:access"],
        endpointUrl: undefined,
        accountId: "111111111111",
        roleName: "Admin",
      },
    });
  });

  test("an sso-session without sso_start_url is refused, naming file and section", async () => {
    const { error, configPath } = await failureOf(
      {
        config:
          "[profile s]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Admin\n[sso-session corp]\nsso_region = us-east-1\n",
      },
      "s",
    );
    assertErrorNames(error, ["has no sso_start_url", configPath, "section [sso-session corp]"]);
  });

  test("a legacy SSO profile as a role's source: its own keys, and the role on top", async () => {
    const resolved = await resolveIn(
      {
        config:
          "[profile s]\nsso_start_url = https://x.awsapps.com/start#/\nsso_region = us-east-1\nsso_account_id = 1\n" +
          "sso_role_name = Dev\n[profile r]\nrole_arn = arn:aws:iam::222222222222:role/R\nsource_profile = s\n",
      },
      "r",
    );
    assert.equal(resolved.source.kind, "sso");
    assert.equal(resolved.source.kind === "sso" ? resolved.source.sso.sessionName : "", undefined);
    assert.deepEqual(
      resolved.roles.map((role) => role.roleArn),
      ["arn:aws:iam::222222222222:role/R"],
    );
  });

  test("a legacy SSO profile without sso_region is refused, naming the section", async () => {
    const { error, configPath } = await failureOf(
      { config: "[profile s]\nsso_start_url = https://x.awsapps.com/start#/\nsso_account_id = 1\n" },
      "s",
    );
    assertErrorNames(error, ["has no sso_region", configPath, "section [profile s]"]);
  });

  test("web identity profiles are refused", async () => {
    const { error, configPath } = await failureOf(
      { config: "[profile w]\nrole_arn = arn:aws:iam::222222222222:role/R\nweb_identity_token_file = /t\n" },
      "w",
    );
    assertErrorNames(error, [
      "web identity",
      configPath,
      "section [profile w]",
      "key web_identity_token_file",
    ]);
  });
});

describe("include_profile (aws-vault)", () => {
  test("merges the included section's keys beneath the profile's own", async () => {
    const resolved = await resolveIn(
      {
        config: `[profile base]
mfa_serial = arn:aws:iam::111111111111:mfa/op
region = eu-west-1
source_profile = user
[profile user]
[profile r]
include_profile = base
role_arn = arn:aws:iam::222222222222:role/R
region = us-west-2
`,
      },
      "r",
    );
    assert.equal(resolved.roles[0]?.mfaSerial, "arn:aws:iam::111111111111:mfa/op");
    assert.equal(resolved.settings.region, "us-west-2");
    assert.equal(resolved.source.profile, "user");
  });

  test("does not carry the included profile's keys", async () => {
    const resolved = await resolveIn(
      {
        config: "[profile base]\nregion = eu-west-1\n[profile child]\ninclude_profile = base\n",
        credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n",
      },
      "child",
    );
    assert.deepEqual(resolved.source, { kind: "static", profile: "child" });
    assert.equal(resolved.settings.region, "eu-west-1");
  });

  test("a loop is an error listing the chain and naming the key", async () => {
    const { error, configPath } = await failureOf(
      {
        config:
          "[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = c\n[profile c]\ninclude_profile = a\n",
      },
      "a",
    );
    assertErrorNames(error, ["a → b → c → a", configPath, "section [profile c]", "key include_profile"]);
  });

  test("a missing included profile names file, section and key", async () => {
    const { error, configPath } = await failureOf(
      { config: "[profile a]\ninclude_profile = nothere\n" },
      "a",
    );
    assertErrorNames(error, [configPath, "section [profile a]", "key include_profile", '"nothere"']);
  });
});

describe("role settings", () => {
  const role = (extra: string) =>
    `[profile u]\n[profile r]\nrole_arn = arn:aws:iam::222222222222:role/R\nsource_profile = u\n${extra}`;

  test("external_id, role_session_name, duration_seconds, source_identity, tags", async () => {
    const resolved = await resolveIn(
      {
        config: role(
          "external_id = ext-123\nrole_session_name = alice@example.com\nduration_seconds = 7200\nsource_identity = alice\nsession_tags = Team=infra, Project = tobira\ntransitive_session_tags = Team , Project\n",
        ),
      },
      "r",
    );
    assert.deepEqual(resolved.roles[0], {
      profile: "r",
      roleArn: "arn:aws:iam::222222222222:role/R",
      externalId: "ext-123",
      roleSessionName: "alice@example.com",
      durationSeconds: 7200,
      sessionTags: { Team: "infra", Project: "tobira" },
      transitiveSessionTags: ["Team", "Project"],
      sourceIdentity: "alice",
    });
    assert.equal(resolved.settings.durationSeconds, 7200);
  });

  test("a session tag without = names the key", async () => {
    const { error, configPath } = await failureOf({ config: role("session_tags = Team=infra,oops\n") }, "r");
    assertErrorNames(error, [configPath, "section [profile r]", "key session_tags", '"oops"']);
  });

  test("a tag key given twice (any case) is refused", async () => {
    const { error } = await failureOf({ config: role("session_tags = Team=a,team=b\n") }, "r");
    assertErrorNames(error, ["key session_tags", "Team"]);
  });

  for (const bad of ["3600s", "60", "50000", "-1"]) {
    test(`duration_seconds = ${bad} is refused with the allowed range`, async () => {
      const { error, configPath } = await failureOf({ config: role(`duration_seconds = ${bad}\n`) }, "r");
      assertErrorNames(error, [configPath, "section [profile r]", "key duration_seconds", "900", "43200"]);
    });
  }

  test("role_session_name outside STS's rules is refused", async () => {
    const { error } = await failureOf({ config: role("role_session_name = alice smith\n") }, "r");
    assertErrorNames(error, ["key role_session_name", "2 to 64"]);
  });

  test("a role_arn that is not an IAM role ARN is refused", async () => {
    const { error, configPath } = await failureOf(
      { config: "[profile u]\n[profile r]\nrole_arn = Role-for-switch\nsource_profile = u\n" },
      "r",
    );
    assertErrorNames(error, [configPath, "section [profile r]", "key role_arn"]);
  });
});

describe("target settings", () => {
  test("tobira_* keys, mfa_process, output, mfa_serial of the target", async () => {
    const resolved = await resolveIn(
      {
        config: `[profile u]
[profile r]
role_arn = arn:aws:iam::222222222222:role/R
source_profile = u
mfa_serial = arn:aws:iam::111111111111:mfa/u
mfa_process = tobira sandbox mfa-code alice
output = json
TOBIRA_MFA_PROMPT = ykman
tobira_ykman_account = AWS:alice
tobira_session_duration = 28800
`,
      },
      "r",
    );
    assert.deepEqual(resolved.settings, {
      mfaSerial: "arn:aws:iam::111111111111:mfa/u",
      mfaProcess: "tobira sandbox mfa-code alice",
      output: "json",
      tobira: {
        tobira_mfa_prompt: "ykman",
        tobira_ykman_account: "AWS:alice",
        tobira_session_duration: "28800",
      },
    });
  });

  test("a user profile may ask GetSessionToken's longer duration (up to 36 h)", async () => {
    const resolved = await resolveIn({ config: "[profile u]\nduration_seconds = 129600\n" }, "u");
    assert.equal(resolved.settings.durationSeconds, 129600);
  });

  test("AWS_REGION, then AWS_DEFAULT_REGION, override the profile's region; AWS_ENDPOINT_URL its endpoint", async () => {
    const loaded = await writeAwsFiles({ config: SANDBOX_CONFIG }).load();
    const both = resolveProfile(loaded, "alice", {
      env: {
        AWS_REGION: "us-west-1",
        AWS_DEFAULT_REGION: "us-west-2",
        AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      },
    });
    assert.equal(both.region, "us-west-1");
    assert.equal(both.regionFrom, "AWS_REGION");
    assert.equal(both.settings.region, "ap-northeast-1");
    assert.equal(both.endpointUrl, "http://127.0.0.1:9");
    assert.equal(both.endpointUrlFrom, "AWS_ENDPOINT_URL");
    const fallback = resolveProfile(loaded, "alice", { env: { AWS_DEFAULT_REGION: "us-west-2" } });
    assert.equal(fallback.region, "us-west-2");
    assert.equal(fallback.regionFrom, "AWS_DEFAULT_REGION");
  });

  test("AWS_PROFILE does not change which profile is resolved", async () => {
    const loaded = await writeAwsFiles({ config: SANDBOX_CONFIG }).load();
    const resolved = resolveProfile(loaded, "alice", { env: { AWS_PROFILE: "switch" } });
    assert.equal(resolved.name, "alice");
    assert.deepEqual(resolved.roles, []);
  });
});

describe("unknown profiles", () => {
  test("a UsageError naming the profile and the close names", async () => {
    const { error } = await failureOf({ config: SANDBOX_CONFIG }, "swtich");
    assertErrorNames(error, ['"swtich"'], UsageError);
    assert.match((error as UsageError).hint ?? "", /"switch"/);
    assert.equal((error as UsageError).exitCode, 2);
  });

  test("the hint points at a config section written without `profile`", async () => {
    const { error, configPath } = await failureOf({ config: "[bob]\nregion = us-east-1\n" }, "bob");
    assert.ok(error instanceof UsageError);
    assert.match(error.hint ?? "", /\[profile bob\]/);
    assert.ok((error.hint ?? "").includes(configPath));
  });
});
