// loadConfigFiles: where the files are, how their text is read (as @smithy/shared-ini-file-loader and the AWS
// CLI read it), and which malformed files are refused with file, section and line named.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { configFilePaths, loadConfigFiles } from "../../src/config/index.js";
import type { ConfigError } from "../../src/errors.js";
import {
  assertErrorNames,
  freshFolder,
  SANDBOX_CONFIG,
  SANDBOX_CREDENTIALS,
  thrownBy,
  writeAwsFiles,
} from "./aws-files-fixture.js";

describe("where the files are", () => {
  test("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are honoured", async () => {
    const files = writeAwsFiles({ config: SANDBOX_CONFIG, credentials: SANDBOX_CREDENTIALS });
    const loaded = await files.load();
    assert.equal(loaded.configFile.path, files.configPath);
    assert.equal(loaded.credentialsFile.path, files.credentialsPath);
    assert.deepEqual([...loaded.profiles.keys()], ["alice", "switch"]);
    assert.equal(
      loaded.profiles.get("alice")?.credentials?.keys.get("aws_access_key_id")?.value,
      "AKIAALICEEXAMPLE0001",
    );
  });

  test("explicit paths win over the environment variables", async () => {
    const wanted = writeAwsFiles({ config: "[profile wanted]\nregion = eu-west-1\n" });
    const other = writeAwsFiles({ config: "[profile other]\nregion = us-west-2\n" });
    const loaded = await loadConfigFiles({
      env: { AWS_CONFIG_FILE: other.configPath, AWS_SHARED_CREDENTIALS_FILE: other.credentialsPath },
      configFile: wanted.configPath,
    });
    assert.deepEqual([...loaded.profiles.keys()], ["wanted"]);
  });

  test("without overrides the files are HOME/.aws/config and HOME/.aws/credentials", async () => {
    const home = freshFolder();
    mkdirSync(join(home, ".aws"));
    writeFileSync(join(home, ".aws", "config"), "[default]\nregion = us-east-2\n");
    const loaded = await loadConfigFiles({ env: { HOME: home } });
    assert.equal(loaded.configFile.path, join(home, ".aws", "config"));
    assert.equal(loaded.credentialsFile.path, join(home, ".aws", "credentials"));
    assert.equal(loaded.profiles.get("default")?.config?.keys.get("region")?.value, "us-east-2");
  });

  test("a leading ~/ in AWS_CONFIG_FILE means the home folder", () => {
    const paths = configFilePaths({ env: { HOME: "/home/op", AWS_CONFIG_FILE: "~/work/aws-config" } });
    assert.equal(paths.configFile, "/home/op/work/aws-config");
    assert.equal(paths.credentialsFile, "/home/op/.aws/credentials");
  });

  test("an empty AWS_CONFIG_FILE counts as unset", () => {
    const paths = configFilePaths({ env: { HOME: "/home/op", AWS_CONFIG_FILE: "" } });
    assert.equal(paths.configFile, "/home/op/.aws/config");
  });

  test("missing files are not an error: no profiles, found = false", async () => {
    const files = writeAwsFiles({});
    const loaded = await files.load();
    assert.equal(loaded.configFile.found, false);
    assert.equal(loaded.credentialsFile.found, false);
    assert.equal(loaded.profiles.size, 0);
  });

  test("a folder given as the config file is an error naming the path", async () => {
    const dir = freshFolder();
    const error = await thrownBy(() =>
      loadConfigFiles({ configFile: dir, credentialsFile: join(dir, "none") }),
    );
    assertErrorNames(error, [dir, "folder"]);
  });
});

describe("how the text is read", () => {
  test("[default] and [profile NAME] in config, [NAME] in credentials, merged per profile", async () => {
    const files = writeAwsFiles({
      config: "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n",
      credentials:
        "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s1\n[dev]\noutput = json\n",
    });
    const loaded = await files.load();
    const dev = loaded.profiles.get("dev");
    assert.equal(dev?.config?.header, "profile dev");
    assert.equal(dev?.credentials?.header, "dev");
    assert.equal(dev?.credentials?.keys.get("output")?.value, "json");
    assert.equal(loaded.profiles.get("default")?.config?.header, "default");
  });

  test("[profile default] names the default profile", async () => {
    const files = writeAwsFiles({ config: "[profile default]\nregion = ap-south-1\n" });
    const loaded = await files.load();
    assert.equal(loaded.profiles.get("default")?.config?.keys.get("region")?.value, "ap-south-1");
  });

  test("[sso-session NAME] sections are kept apart from profiles", async () => {
    const files = writeAwsFiles({
      config: "[sso-session corp]\nsso_region = us-east-1\n[profile a]\nregion = x-1\n",
    });
    const loaded = await files.load();
    assert.deepEqual([...loaded.profiles.keys()], ["a"]);
    assert.equal(loaded.ssoSessions.get("corp")?.keys.get("sso_region")?.value, "us-east-1");
  });

  test("keys are case-insensitive: Region is region, the spelling is kept for messages", async () => {
    const files = writeAwsFiles({
      config: "[profile a]\nRegion = eu-north-1\nMFA_Serial = arn:aws:iam::1:mfa/a\n",
    });
    const section = (await files.load()).profiles.get("a")?.config;
    assert.equal(section?.keys.get("region")?.value, "eu-north-1");
    assert.equal(section?.keys.get("region")?.origin.key, "Region");
    assert.equal(section?.keys.get("mfa_serial")?.value, "arn:aws:iam::1:mfa/a");
  });

  test("a # or ; in a value is kept, after a blank too, as the AWS CLI v2 keeps it", async () => {
    // aws-cli/2.9.19, `aws configure get`: `region = us-east-1 ; comment` is "us-east-1 ; comment".
    const files = writeAwsFiles({
      config: [
        "# full-line comment",
        "; another",
        "[profile a]",
        "mfa_process = pass otp aws#work",
        "tobira_note = a;b",
        "output = json # trailing comment",
        "region = eu-west-3 ;also a comment",
        "tobira_mfa_process = echo 1 ; echo 2",
        "  ; an indented comment line",
        "[profile b] ; a comment after a header",
        "region = x",
        "",
      ].join("\n"),
    });
    const loaded = await files.load();
    const keys = loaded.profiles.get("a")?.config?.keys;
    assert.equal(keys?.get("mfa_process")?.value, "pass otp aws#work");
    assert.equal(keys?.get("tobira_note")?.value, "a;b");
    assert.equal(keys?.get("output")?.value, "json # trailing comment");
    assert.equal(keys?.get("region")?.value, "eu-west-3 ;also a comment");
    assert.equal(keys?.get("tobira_mfa_process")?.value, "echo 1 ; echo 2");
    assert.equal(loaded.profiles.get("b")?.config?.keys.get("region")?.value, "x");
  });

  test("every key knows its file, section and line", async () => {
    const files = writeAwsFiles({ config: SANDBOX_CONFIG });
    const switchSection = (await files.load()).profiles.get("switch")?.config;
    assert.deepEqual(switchSection?.keys.get("source_profile")?.origin, {
      file: files.configPath,
      section: "profile switch",
      key: "source_profile",
      line: 6,
    });
    assert.equal(switchSection?.line, 4);
  });

  test("CRLF line ends read like LF", async () => {
    const files = writeAwsFiles({ config: "[profile a]\r\nregion = sa-east-1\r\n" });
    const keys = (await files.load()).profiles.get("a")?.config?.keys;
    assert.equal(keys?.get("region")?.value, "sa-east-1");
    assert.equal(keys?.get("region")?.origin.line, 2);
  });

  test("an indented block under `key =` is a sub-section (services style), not top-level keys", async () => {
    const files = writeAwsFiles({
      config: "[profile a]\ns3 =\n  max_concurrent_requests = 20\nregion = eu-west-2\n",
    });
    const keys = (await files.load()).profiles.get("a")?.config?.keys;
    assert.equal(keys?.get("s3.max_concurrent_requests")?.value, "20");
    assert.equal(keys?.has("max_concurrent_requests"), false);
    assert.equal(keys?.get("region")?.value, "eu-west-2");
  });

  test("a config [NAME] without `profile` is skipped and remembered for hints", async () => {
    const files = writeAwsFiles({ config: "[alice]\nregion = us-east-1\n" });
    const loaded = await files.load();
    assert.equal(loaded.profiles.size, 0);
    assert.equal(loaded.ignored[0]?.meant, "alice");
    assert.match(loaded.ignored[0]?.reason ?? "", /\[profile alice\]/);
  });

  test("a credentials [profile NAME] header is skipped and remembered for hints", async () => {
    const files = writeAwsFiles({ credentials: "[profile bob]\naws_access_key_id = AKIABOB\n" });
    const loaded = await files.load();
    assert.equal(loaded.profiles.size, 0);
    assert.equal(loaded.ignored[0]?.meant, "bob");
    assert.equal(loaded.ignored[0]?.file, files.credentialsPath);
  });

  test("a profile header the SDK cannot read ([profile my profile]) is skipped, not misread", async () => {
    const files = writeAwsFiles({ config: "[profile my profile]\nregion = us-east-1\n" });
    const loaded = await files.load();
    assert.equal(loaded.profiles.size, 0);
    assert.equal(loaded.ignored[0]?.meant, "my profile");
  });
});

describe("malformed files are refused, naming file, section and line", () => {
  test("a key before any section (the loader would drop it silently; the AWS CLI refuses the file)", async () => {
    const files = writeAwsFiles({ config: "region = us-east-1\n[profile a]\noutput = json\n" });
    const error = await thrownBy(() => files.load());
    assertErrorNames(error, [files.configPath, "line 1", "key region", "before any [section]"]);
  });

  test("a section header without its closing bracket", async () => {
    const files = writeAwsFiles({ config: "[profile a]\nregion = x\n[profile b\nregion = y\n" });
    const error = await thrownBy(() => files.load());
    assertErrorNames(error, [files.configPath, "line 3", 'no closing "]"']);
  });

  test("a line that is not key = value", async () => {
    const files = writeAwsFiles({ config: "[profile a]\nregion = x\njust some words\n" });
    const error = await thrownBy(() => files.load());
    assertErrorNames(error, [files.configPath, "section [profile a]", "line 3", 'not "key = value"']);
  });

  test("`key: value` is refused with a hint to use =", async () => {
    const files = writeAwsFiles({ config: "[profile a]\nregion: eu-west-1\n" });
    const error = await thrownBy(() => files.load());
    assertErrorNames(error, [files.configPath, "section [profile a]", "line 2"]);
    assert.match((error as ConfigError).hint ?? "", /Use "="/);
  });

  test("the same section twice in one file", async () => {
    const files = writeAwsFiles({ config: "[profile a]\nregion = x\n[profile a]\noutput = json\n" });
    const error = await thrownBy(() => files.load());
    assertErrorNames(error, [files.configPath, "[profile a] (line 3)", "(line 1)"]);
  });

  test("[default] and [profile default] together: the later one, whole, as the AWS CLI v2 reads them", async () => {
    // aws-cli/2.9.19: `aws configure get region` prints eu-west-1 and `get output` nothing for the first file;
    // us-east-1 and text for the second.
    const first = writeAwsFiles({
      config: "[default]\nregion = us-east-1\noutput = text\n[profile default]\nregion = eu-west-1\n",
    });
    const firstDefault = (await first.load()).profiles.get("default")?.config;
    assert.equal(firstDefault?.header, "profile default");
    assert.equal(firstDefault?.keys.get("region")?.value, "eu-west-1");
    assert.equal(firstDefault?.keys.get("output"), undefined);
    const second = writeAwsFiles({
      config: "[profile default]\nregion = eu-west-1\n[default]\nregion = us-east-1\noutput = text\n",
    });
    const loaded = await second.load();
    const secondDefault = loaded.profiles.get("default")?.config;
    assert.equal(secondDefault?.keys.get("region")?.value, "us-east-1");
    assert.equal(secondDefault?.keys.get("output")?.value, "text");
    assert.match(loaded.ignored[0]?.reason ?? "", /\[default\] \(line 3\) replaces it/);
  });

  test("[default] twice is still refused, as the AWS CLI refuses it", async () => {
    const files = writeAwsFiles({ config: "[default]\nregion = x\n[default]\nregion = y\n" });
    const error = await thrownBy(() => files.load());
    assertErrorNames(error, [files.configPath, "[default] (line 3)", "(line 1)"]);
  });

  test("the same key twice in a section, whatever its case", async () => {
    const files = writeAwsFiles({ config: "[profile a]\nregion = x\nREGION = y\n" });
    const error = await thrownBy(() => files.load());
    assertErrorNames(error, [files.configPath, "section [profile a]", "key REGION", "lines 2 and 3"]);
  });

  test("an indented line under a key (the CLI would glue it to the value, the SDK would not)", async () => {
    const files = writeAwsFiles({ config: "[profile a]\nregion = x\n    output = json\n" });
    const error = await thrownBy(() => files.load());
    assertErrorNames(error, [files.configPath, "section [profile a]", "line 3", "key output"]);
  });

  test("a profile named __proto__ is refused (the loader would throw it away with the whole file)", async () => {
    const files = writeAwsFiles({ config: "[profile __proto__]\nregion = x\n" });
    const error = await thrownBy(() => files.load());
    assertErrorNames(error, [files.configPath, "line 1", "__proto__"]);
  });

  test("a profile named constructor is refused (the loader would lose it)", async () => {
    const files = writeAwsFiles({ credentials: "[constructor]\naws_access_key_id = AKIAX\n" });
    const error = await thrownBy(() => files.load());
    assertErrorNames(error, [files.credentialsPath, "constructor"]);
  });

  test("errors about a credentials file never quote its lines", async () => {
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
    const files = writeAwsFiles({ credentials: `[alice]\naws_access_key_id = AKIAALICE\n${secret}\n` });
    const error = await thrownBy(() => files.load());
    assertErrorNames(error, [files.credentialsPath, "section [alice]", "line 3"]);
    const text = `${(error as ConfigError).message} ${(error as ConfigError).hint ?? ""}`;
    assert.equal(text.includes(secret), false);
  });
});
