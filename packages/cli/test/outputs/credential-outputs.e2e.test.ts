// exec, export and credential-process as a user runs them: the built CLI, alice's key in a file vault, MFA
// codes from the sandbox through tobira_mfa_process, the sandbox's audit log as the witness of every STS call.
// Needs `npm run build` first.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseEnv } from "node:util";
import { FileSessionCache } from "../../src/credentials/session-cache-file.js";
import {
  BUILT,
  PASSPHRASE,
  type RunResult,
  runToEnd,
  type SandboxUser,
  startSandboxUser,
  tobiraBin,
} from "../fixtures/sandbox-user.js";

const AWS_CLI_V2 = process.env.TOBIRA_AWS_CLI || "/usr/bin/aws";

interface AuditLine {
  service: string;
  action: string;
  principalArn?: string;
  mfa?: boolean;
  decision: string;
}

/** Runs a program to its end with stdin an empty pipe unless `input` says otherwise. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { input?: string; onStdout?: (text: string, pid: number) => void } = {},
): Promise<RunResult> {
  return runToEnd(command, args, { env, timeoutMs: 120_000, ...options, input: options.input ?? "" });
}

describe("exec, export and credential-process against the sandbox", {
  skip: !BUILT && "run `npm run build` first",
}, () => {
  let f: SandboxUser;
  let root: string;
  let sandbox: SandboxUser["sandbox"];
  let env: NodeJS.ProcessEnv;
  let aliceKey: { id: string; secret: string };

  const tobira = (args: string[], extra: NodeJS.ProcessEnv = {}, options = {}) =>
    run(process.execPath, [tobiraBin, ...args], { ...env, ...extra }, options);
  const audit = (): AuditLine[] => f.audit() as unknown as AuditLine[];
  const stsLines = (from: number) =>
    audit()
      .slice(from)
      .filter((line) => line.service === "sts");
  const mfaPrompts = () => f.mfaPrompts();
  const json = (result: RunResult) => {
    assert.equal(result.code, 0, `exit ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as Record<string, string | number>;
  };

  before(async () => {
    f = await startSandboxUser({
      label: "outputs",
      extraConfig: `\n[profile switch-cli]\nregion = ap-northeast-1\ncredential_process = ${process.execPath} ${tobiraBin} credential-process switch\n`,
    });
    ({ root, sandbox, env } = f);
    aliceKey = { id: f.aliceKey.accessKeyId, secret: f.aliceKey.secretAccessKey };
  });

  after(async () => {
    await f?.close();
  });

  it("twenty parallel credential-process project-a: one MFA prompt, one GetSessionToken, one AssumeRole", async () => {
    const start = audit().length;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => tobira(["credential-process", "project-a"])),
    );
    const outputs = results.map(json);
    for (const out of outputs) {
      assert.equal(out.Version, 1);
      assert.deepEqual(Object.keys(out).sort(), [
        "AccessKeyId",
        "Expiration",
        "SecretAccessKey",
        "SessionToken",
        "Version",
      ]);
      assert.equal(out.AccessKeyId, outputs[0]!.AccessKeyId);
    }
    const lines = stsLines(start);
    assert.equal(mfaPrompts(), 1);
    assert.equal(lines.filter((l) => l.action === "GetSessionToken").length, 1);
    assert.equal(lines.filter((l) => l.action === "AssumeRole").length, 1);
    assert.ok(lines.every((l) => l.decision === "Allow"));
  });

  it("exec switch runs a child whose SDK call acts as the assumed role, session named alice; one MFA code, vault closed", async () => {
    const start = audit().length;
    const child = [
      "-e",
      `const { STSClient, GetCallerIdentityCommand } = await import(${JSON.stringify(import.meta.resolve("@aws-sdk/client-sts"))});
       const id = await new STSClient({}).send(new GetCallerIdentityCommand({}));
       const leaked = Object.keys(process.env).filter((k) => k === "AWS_PROFILE" || k === "TOBIRA_VAULT_PASSPHRASE");
       console.log(JSON.stringify({ arn: id.Arn, profile: process.env.TOBIRA_PROFILE, region: process.env.AWS_REGION,
         endpoint: process.env.AWS_ENDPOINT_URL, expiration: process.env.AWS_CREDENTIAL_EXPIRATION, leaked }));`,
      "--input-type=module",
    ];
    const result = await tobira(["exec", "switch", "--", process.execPath, ...child], {
      AWS_PROFILE: "project-b",
      // A wrong passphrase proves the vault stays closed: the session token cached for project-a is reused.
      TOBIRA_VAULT_PASSPHRASE: "not the passphrase",
    });
    assert.equal(result.code, 0, result.stderr);
    const seen = JSON.parse(result.stdout);
    assert.equal(seen.arn, "arn:aws:sts::222222222222:assumed-role/Role-for-switch/alice");
    assert.equal(seen.profile, "switch");
    assert.equal(seen.region, "ap-northeast-1");
    assert.equal(seen.endpoint, sandbox.endpoint);
    assert.ok(Date.parse(seen.expiration) > Date.now());
    assert.deepEqual(seen.leaked, []);
    // project-a (above) and switch together cost one code: the session token was reused.
    assert.equal(mfaPrompts(), 1);
    assert.equal(audit().filter((l) => l.action === "GetSessionToken" && l.mfa === true).length, 1);
    const tobiraCalls = stsLines(start).filter((l) => l.action !== "GetCallerIdentity");
    assert.deepEqual(
      tobiraCalls.map((l) => l.action),
      ["AssumeRole"],
    );
    assert.equal(tobiraCalls[0]!.principalArn, "arn:aws:iam::111111111111:user/alice");
  });

  it("a second credential-process switch is answered from the cache: no STS call at all", async () => {
    const first = json(await tobira(["credential-process", "switch"]));
    const start = audit().length;
    // A wrong passphrase, as a stand-in for none at all: a hit never opens the vault.
    const second = await tobira(["credential-process", "switch"], {
      TOBIRA_VAULT_PASSPHRASE: "not the passphrase",
    });
    assert.deepEqual(json(second), first);
    assert.equal(second.stderr, "");
    assert.equal(audit().length, start);
  });

  it("a cache hit through bin/tobira.js loads two files of ours, CommonJS, and no ES module loader", async () => {
    // What a hit may cost is node's start and little more: a probe preloaded with -r lists, at exit, the
    // user-land files required and whether node's ES module loader or fs/promises was set up.
    const probeFile = join(root, "load-probe.cjs");
    const seenFile = join(root, "load-probe.json");
    writeFileSync(
      probeFile,
      `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(seenFile)}, JSON.stringify({
        files: Object.keys(require.cache).filter((f) => f !== __filename),
        builtins: process.moduleLoadList.filter((m) => /esm\\/loader|internal\\/fs\\/promises/.test(m)),
      })));`,
    );
    const expected = json(await tobira(["credential-process", "switch"]));
    const hit = await run(
      process.execPath,
      ["-r", probeFile, tobiraBin, "credential-process", "switch"],
      env,
    );
    assert.deepEqual(json(hit), expected);
    const seen = JSON.parse(readFileSync(seenFile, "utf8")) as { files: string[]; builtins: string[] };
    assert.deepEqual(seen.files, [
      tobiraBin,
      join(dirname(tobiraBin), "..", "dist", "bundle", "fast-path.cjs"),
    ]);
    assert.deepEqual(seen.builtins, []);
  });

  it("the AWS CLI v2 uses credential-process through credential_process", {
    skip: !existsSync(AWS_CLI_V2) && "no AWS CLI v2",
  }, async () => {
    const start = audit().length;
    const result = await run(
      AWS_CLI_V2,
      [
        "sts",
        "get-caller-identity",
        "--profile",
        "switch-cli",
        "--endpoint-url",
        sandbox.endpoint,
        "--output",
        "json",
      ],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      JSON.parse(result.stdout).Arn,
      "arn:aws:sts::222222222222:assumed-role/Role-for-switch/alice",
    );
    // The only call is the AWS CLI's own GetCallerIdentity: tobira answered from its cache.
    assert.deepEqual(
      stsLines(start).map((l) => [l.action, l.principalArn]),
      [["GetCallerIdentity", "arn:aws:sts::222222222222:assumed-role/Role-for-switch/alice"]],
    );
  });

  it("export: env, dotenv and json read back to the same credentials", async () => {
    const expected = json(await tobira(["credential-process", "switch"]));
    const viaBash = await run(
      "bash",
      ["-c", `eval "$("$0" "$1" export switch)" && env`, process.execPath, tobiraBin],
      {
        ...env,
        AWS_PROFILE: "switch",
      },
    );
    assert.equal(viaBash.code, 0, viaBash.stderr);
    const shellEnv = parseEnv(
      viaBash.stdout
        .split("\n")
        .filter((l) => /^[A-Z_]+=/.test(l))
        .join("\n"),
    );
    assert.equal(shellEnv.AWS_ACCESS_KEY_ID, expected.AccessKeyId);
    assert.equal(shellEnv.AWS_SECRET_ACCESS_KEY, expected.SecretAccessKey);
    assert.equal(shellEnv.AWS_SESSION_TOKEN, expected.SessionToken);
    assert.equal(shellEnv.AWS_CREDENTIAL_EXPIRATION, expected.Expiration);
    assert.equal(shellEnv.AWS_REGION, "ap-northeast-1");
    assert.equal(shellEnv.AWS_PROFILE, undefined, "export unsets AWS_PROFILE");

    const dotenv = await tobira(["export", "switch", "--format", "dotenv"]);
    assert.equal(dotenv.code, 0, dotenv.stderr);
    assert.equal(parseEnv(dotenv.stdout).AWS_SESSION_TOKEN, expected.SessionToken);
    const asJson = json(await tobira(["export", "switch", "--format", "json"]));
    assert.equal(asJson.AWS_SECRET_ACCESS_KEY, expected.SecretAccessKey);
    assert.equal(asJson.AWS_ENDPOINT_URL, sandbox.endpoint);

    const bad = await tobira(["export", "switch", "--format", "csh"]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /csh/);
  });

  it("exec returns the child's exit code, refuses to nest without --force, and starts $SHELL without a command", async () => {
    assert.equal((await tobira(["exec", "switch", "--", process.execPath, "-e", "process.exit(3)"])).code, 3);
    const nested = await tobira(["exec", "switch", "--", "true"], { TOBIRA_PROFILE: "project-a" });
    assert.notEqual(nested.code, 0);
    assert.match(nested.stderr, /already inside `tobira exec` for profile 'project-a'/);
    assert.match(nested.stderr, /--force/);
    assert.equal(
      (await tobira(["exec", "switch", "--force", "--", "true"], { TOBIRA_PROFILE: "project-a" })).code,
      0,
    );
    const shell = await tobira(
      ["exec", "switch"],
      { SHELL: "/bin/sh" },
      { input: 'echo "in $TOBIRA_PROFILE"\nexit 4\n' },
    );
    assert.equal(shell.code, 4);
    assert.equal(shell.stdout, "in switch\n");
    const missing = await tobira(["exec", "switch", "--", "no-such-command-xyz"]);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /command not found: no-such-command-xyz/);
  });

  it("exec passes SIGTERM, SIGINT and SIGHUP on to the child and reports 128+N when the signal ends it", async () => {
    const trap = `process.on("SIGTERM", () => { console.log("child got SIGTERM"); process.exit(7); });
      setInterval(() => {}, 1000); console.log("ready");`;
    const kill = (signal: NodeJS.Signals) => (text: string, pid: number) => {
      if (text === "ready\n") process.kill(pid, signal);
    };
    const trapped = await tobira(
      ["exec", "switch", "--", process.execPath, "-e", trap],
      {},
      { onStdout: kill("SIGTERM") },
    );
    assert.equal(trapped.stdout, "ready\nchild got SIGTERM\n");
    assert.equal(trapped.code, 7);
    const idle = `setInterval(() => {}, 1000); console.log("ready");`;
    for (const [signal, number] of [
      ["SIGINT", 2],
      ["SIGHUP", 1],
      ["SIGTERM", 15],
    ] as const) {
      const result = await tobira(
        ["exec", "switch", "--", process.execPath, "-e", idle],
        {},
        { onStdout: kill(signal) },
      );
      assert.equal(result.code, 128 + number, `${signal}: ${result.stderr}`);
    }
  });

  it("expired cached sessions are ignored and replaced (a new code, new STS calls)", async () => {
    const cache = new FileSessionCache({ cacheDir: join(root, "cache"), keyDir: join(root, "run") });
    const past = new Date(Date.now() - 60_000).toISOString();
    for (const { key, entry } of await cache.list()) {
      if (entry.credentials) {
        await cache.put(key, {
          ...entry,
          expiresAt: past,
          credentials: { ...entry.credentials, expiration: past },
        });
      }
    }
    const promptsBefore = mfaPrompts();
    const start = audit().length;
    const out = json(await tobira(["credential-process", "switch"]));
    assert.ok(Date.parse(String(out.Expiration)) > Date.now() + 50 * 60_000);
    assert.equal(mfaPrompts(), promptsBefore + 1);
    assert.deepEqual(
      stsLines(start).map((l) => [l.action, l.mfa === true]),
      [
        ["GetSessionToken", true],
        ["AssumeRole", true],
      ],
    );
  });

  it("an unknown profile is one clear line and a non-zero exit; no secret ever reaches stderr", async () => {
    const result = await tobira(["credential-process", "nope"]);
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /nope/);
    for (const secret of [aliceKey.secret, PASSPHRASE]) assert.equal(result.stderr.includes(secret), false);
  });
});
