// The outputs' text: credential_process JSON, export quoting per shell, the exec child's environment.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { parseDuration } from "../../src/commands/profile-options.js";
import { credentialProcessJson } from "../../src/outputs/credential-process/version1-json.js";
import { credentialVariables, execEnvironment } from "../../src/outputs/environment/child-environment.js";
import {
  formatExport,
  quoteDotenv,
  quoteFish,
  quotePosix,
  quotePwsh,
} from "../../src/outputs/export/export-format.js";

const CREDS = {
  accessKeyId: "ASIAEXAMPLE",
  secretAccessKey: "abc/def+ghi=",
  sessionToken: "tok/en+==",
  expiration: "2030-01-01T01:00:00.000Z",
};

describe("credentialProcessJson", () => {
  it("prints Version 1 with the five fields, one line", () => {
    assert.equal(
      credentialProcessJson(CREDS),
      '{"Version":1,"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"abc/def+ghi=","SessionToken":"tok/en+==","Expiration":"2030-01-01T01:00:00.000Z"}\n',
    );
  });
});

describe("quoting", () => {
  it("POSIX: single quotes, a quote becomes '\\''", () => {
    assert.equal(quotePosix("a'b"), `'a'\\''b'`);
    assert.equal(quotePosix("$HOME `x` \\n"), `'$HOME \`x\` \\n'`);
  });
  it("fish: backslash and quote are escaped inside single quotes", () => {
    assert.equal(quoteFish("a'b\\c"), `'a\\'b\\\\c'`);
  });
  it("PowerShell: quotes (also the curly ones) are doubled", () => {
    assert.equal(quotePwsh("a'b\u2019c"), `'a''b\u2019\u2019c'`);
    assert.equal(quotePwsh("$env:X"), `'$env:X'`);
  });
  it("dotenv: single quotes unless the value holds a quote or a line break", () => {
    assert.equal(quoteDotenv("abc/def+="), `'abc/def+='`);
    assert.equal(quoteDotenv("it's\n$x"), `"it's\\n\\$x"`);
  });

  it("bash reads every tricky value back exactly through eval", () => {
    const values = ["plain", "it's", "two words", "$HOME", "`id`", "a\\b", "line\nbreak", "*", "!x", "'", ""];
    const variables = values.map((v, i): [string, string] => [`V${i}`, v]);
    const script = `${formatExport("env", variables)}\nfor i in ${values.map((_, i) => i).join(" ")}; do eval "printf '%s\\0' \\"\\$V$i\\""; done`;
    const out = spawnSync("bash", ["-c", script], { encoding: "utf8" });
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(out.stdout.split("\0").slice(0, -1), values);
  });
});

describe("formatExport", () => {
  const vars = credentialVariables({ credentials: CREDS, region: "ap-northeast-1" });

  it("env: unsets what would shadow the credentials, then exports each variable", () => {
    const text = formatExport("env", vars);
    const lines = text.trimEnd().split("\n");
    assert.match(lines[0]!, /^unset AWS_PROFILE AWS_DEFAULT_PROFILE /);
    assert.doesNotMatch(lines[0]!, /AWS_ACCESS_KEY_ID|TOBIRA_VAULT_PASSPHRASE/);
    assert.deepEqual(lines.slice(1), [
      "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'",
      "export AWS_SECRET_ACCESS_KEY='abc/def+ghi='",
      "export AWS_SESSION_TOKEN='tok/en+=='",
      "export AWS_REGION='ap-northeast-1'",
      "export AWS_DEFAULT_REGION='ap-northeast-1'",
      "export AWS_CREDENTIAL_EXPIRATION='2030-01-01T01:00:00.000Z'",
    ]);
  });

  it("fish, pwsh, dotenv and json say the same variables in their own syntax", () => {
    assert.ok(formatExport("fish", vars).includes("set -gx AWS_SESSION_TOKEN 'tok/en+=='\n"));
    assert.ok(formatExport("fish", vars).includes("set -e AWS_PROFILE\n"));
    assert.ok(formatExport("pwsh", vars).includes("$Env:AWS_REGION = 'ap-northeast-1'\n"));
    assert.ok(
      formatExport("pwsh", vars).includes("Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue\n"),
    );
    assert.ok(formatExport("dotenv", vars).startsWith("AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\n"));
    assert.deepEqual(JSON.parse(formatExport("json", vars)), Object.fromEntries(vars));
  });
});

describe("execEnvironment", () => {
  it("keeps the parent's environment, drops profile and credential variables, sets the credentials and TOBIRA_PROFILE", () => {
    const env = execEnvironment(
      {
        PATH: "/usr/bin",
        HOME: "/home/a",
        AWS_PROFILE: "switch",
        AWS_DEFAULT_PROFILE: "x",
        AWS_ACCESS_KEY_ID: "AKIAOLD",
        AWS_SECURITY_TOKEN: "old",
        AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://127.0.0.1:1",
        AWS_WEB_IDENTITY_TOKEN_FILE: "/t",
        TOBIRA_VAULT_PASSPHRASE: "pw",
        AWS_CONFIG_FILE: "/c",
      },
      { profile: "switch", credentials: CREDS, region: "eu-west-1", endpointUrl: "http://127.0.0.1:4566" },
    );
    assert.deepEqual(env, {
      PATH: "/usr/bin",
      HOME: "/home/a",
      AWS_CONFIG_FILE: "/c",
      AWS_ACCESS_KEY_ID: "ASIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "abc/def+ghi=",
      AWS_SESSION_TOKEN: "tok/en+==",
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
      AWS_CREDENTIAL_EXPIRATION: "2030-01-01T01:00:00.000Z",
      AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
      TOBIRA_PROFILE: "switch",
    });
  });
});

describe("parseDuration", () => {
  it("reads seconds and s/m/h units, refuses anything else", () => {
    assert.equal(parseDuration("3600"), 3600);
    assert.equal(parseDuration("90m"), 5400);
    assert.equal(parseDuration("1h30m"), 5400);
    assert.equal(parseDuration("8h"), 28800);
    for (const bad of ["", "1d", "h", "1h 30m", "-5", "1.5h", "1h30"])
      assert.throws(() => parseDuration(bad), /duration/);
  });
});
