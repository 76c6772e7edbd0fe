// The package entry as a program imports it (`import … from "tobira"`, the built dist/src/index.js): a profile's
// credentials, an AWS SDK client signing through tobira's provider, the export and credential_process outputs,
// and a command run on an instance — against the sandbox, with alice's key in the fixture's file vault.
// Needs `npm run build` first.
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after, before, describe, test } from "node:test";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

// The SDK warns on Node 20 about its releases after January 2027 (bin.ts quiets it the same way).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** The entry by its package name, so the package.json `exports` and the build are what is tested. */
const ENTRY = "tobira";
type Library = typeof import("../../src/index.js");

describe("the tobira package entry", {
  skip: !BUILT && "run `npm run build` first",
  timeout: 180_000,
}, () => {
  let f: SandboxUser;
  let lib: Library;
  const notices: string[] = [];
  before(async () => {
    lib = (await import(ENTRY)) as Library;
    f = await startSandboxUser({ label: "library" });
  });
  after(async () => {
    await f?.close();
  });

  test("credentialsForProfile resolves a role behind MFA; the second call is a cache hit", async () => {
    const options = { env: f.env, notice: (line: string) => notices.push(line) };
    const first = await lib.credentialsForProfile("switch", options);
    assert.match(first.credentials.accessKeyId, /^ASIA/);
    assert.equal(first.fromCache, false);
    assert.equal(first.endpointUrl, f.sandbox.endpoint);
    const second = await lib.credentialsForProfile("switch", options);
    assert.equal(second.fromCache, true);
    assert.equal(second.credentials.accessKeyId, first.credentials.accessKeyId);
    assert.equal(f.mfaPrompts(), 1);
  });

  test("an SDK client signs with profileCredentialProvider and acts as the role", async () => {
    const resolved = await lib.credentialsForProfile("switch", { env: f.env });
    const sts = new STSClient({
      region: resolved.region ?? "ap-northeast-1",
      ...(resolved.endpointUrl === undefined ? {} : { endpoint: resolved.endpointUrl }),
      credentials: lib.profileCredentialProvider("switch", { env: f.env }),
    });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    assert.match(identity.Arn ?? "", /^arn:aws:sts::\d+:assumed-role\/[^/]+\/alice$/);
  });

  test("the outputs: export lines, credential_process JSON and the exec environment", async () => {
    const { credentials, region } = await lib.credentialsForProfile("switch", { env: f.env });
    const variables = lib.credentialVariables({ credentials, ...(region === undefined ? {} : { region }) });
    const text = lib.formatExport("env", variables);
    assert.match(text, new RegExp(`^export AWS_ACCESS_KEY_ID='${credentials.accessKeyId}'$`, "m"));
    assert.deepEqual(lib.EXPORT_FORMATS, ["env", "fish", "pwsh", "dotenv", "json"]);
    const json = JSON.parse(lib.credentialProcessJson(credentials)) as Record<string, unknown>;
    assert.equal(json.Version, 1);
    assert.equal(json.SessionToken, credentials.sessionToken);
    const env = lib.execEnvironment({ AWS_PROFILE: "other" }, { profile: "switch", credentials });
    assert.equal(env.AWS_PROFILE, undefined);
    assert.equal(env.TOBIRA_PROFILE, "switch");
  });

  test("runCommand opens a session to web-a and returns the remote exit status", async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = "";
    stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
    });
    stderr.resume();
    const code = await lib.runCommand({
      target: "web-a",
      profile: "project-a",
      command: ["sh", "-c", "echo from-the-library; exit 5"],
      access: { env: f.env },
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
    });
    assert.equal(code, 5);
    assert.equal(out, "from-the-library\n");
  });
});
