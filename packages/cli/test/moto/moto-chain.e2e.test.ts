// The credential chain resolved by the built CLI against moto_server: a second STS and IAM that nobody here
// wrote, so tobira's calls are checked against someone else's reading of the AWS APIs, not only our sandbox's.
// moto checks neither signatures nor MFA codes; what it proves is that the requests tobira sends (through the
// AWS SDK v3) are understood by another implementation, and that the roles come out as the right principals.
// Needs `npm run build` first, and `moto_server` on PATH (pip install "moto[server]"); TOBIRA_SKIP_MOTO=1 skips.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type CommandResult, runToEnd } from "../../src/sandbox-control/user-machine.js";
import { FileVault } from "../../src/vault/file-vault.js";
import { fixedPassphrase } from "../../src/vault/passphrase-source.js";
import { findMotoServer, type RunningMoto, startMoto } from "./moto-server.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const tobiraBin = join(here, "..", "..", "bin", "tobira.js");
// The built CLI as npm links it: exec and credential-process are registered in commands/index.ts.
const tobiraEntry = tobiraBin;
const builtEntry = join(here, "..", "..", "dist", "src", "commands", "credential-process.js");
const ACCOUNT = "123456789012"; // moto's default account
const PASSPHRASE = "moto test passphrase";
const skipMoto = process.env.TOBIRA_SKIP_MOTO === "1";

/** Runs a program to its end with no stdin (the shipped runner of src/sandbox-control/user-machine.ts). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return runToEnd(command, args, { env, timeoutMs: 120_000 });
}

interface ProcessCredentials {
  Version: number;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

describe("the credential chain against moto_server (a second STS)", {
  skip: skipMoto ? "TOBIRA_SKIP_MOTO=1" : !existsSync(builtEntry) && "run `npm run build` first",
}, () => {
  const root = mkdtempSync(join(tmpdir(), "tobira-moto-"));
  const mfaLog = join(root, "mfa-calls.log");
  const stderrSeen: string[] = [];
  let moto: RunningMoto | undefined;
  let env: NodeJS.ProcessEnv;
  let aliceKey: { id: string; secret: string };
  let serial: string;

  const tobira = async (args: string[]) => {
    const result = await run(process.execPath, [tobiraEntry, ...args], env);
    stderrSeen.push(result.stderr);
    return result;
  };
  const credentialProcess = async (profile: string) => {
    const result = await tobira(["credential-process", profile]);
    assert.equal(result.code, 0, `credential-process ${profile} exited ${result.code}: ${result.stderr}`);
    return { out: JSON.parse(result.stdout) as ProcessCredentials, stderr: result.stderr };
  };
  const mfaPrompts = () =>
    existsSync(mfaLog) ? readFileSync(mfaLog, "utf8").split("\n").filter(Boolean).length : 0;
  const callerArn = async (out: ProcessCredentials) => {
    const sts = new STSClient({
      region: "us-east-1",
      endpoint: moto!.endpoint,
      credentials: {
        accessKeyId: out.AccessKeyId,
        secretAccessKey: out.SecretAccessKey,
        sessionToken: out.SessionToken,
      },
    });
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  };
  /** `tobira exec PROFILE -- node -e <GetCallerIdentity>`: what a child sees through its own SDK. */
  const execCallerIdentity = async (profile: string) => {
    const script = `const { STSClient, GetCallerIdentityCommand } = await import(${JSON.stringify(import.meta.resolve("@aws-sdk/client-sts"))});
      const id = await new STSClient({}).send(new GetCallerIdentityCommand({}));
      console.log(JSON.stringify({ arn: id.Arn, account: id.Account, keyId: process.env.AWS_ACCESS_KEY_ID,
        token: Boolean(process.env.AWS_SESSION_TOKEN), endpoint: process.env.AWS_ENDPOINT_URL }));`;
    const result = await tobira([
      "exec",
      profile,
      "--",
      process.execPath,
      "--input-type=module",
      "-e",
      script,
    ]);
    assert.equal(result.code, 0, `exec ${profile} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as {
      arn: string;
      account: string;
      keyId: string;
      token: boolean;
      endpoint: string;
    };
  };

  before(async () => {
    const binary = findMotoServer();
    if (!binary) {
      throw new Error(
        'moto_server is not on PATH: install it with `pip install "moto[server]"` (Python 3), ' +
          "or set TOBIRA_SKIP_MOTO=1 to skip the moto tests",
      );
    }
    moto = await startMoto(binary);

    // The account as an administrator would set it up, through the real IAM client (moto takes any keys).
    const iam = new IAMClient({
      region: "us-east-1",
      endpoint: moto.endpoint,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    await iam.send(new CreateUserCommand({ UserName: "alice" }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "alice" }))).AccessKey!;
    aliceKey = { id: key.AccessKeyId!, secret: key.SecretAccessKey! };
    const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "alice" })))
      .VirtualMFADevice!;
    serial = device.SerialNumber!;
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: "alice",
        SerialNumber: serial,
        AuthenticationCode1: "123456",
        AuthenticationCode2: "654321",
      }),
    );
    const trust = (principal: string) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: principal },
            Action: "sts:AssumeRole",
            Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
          },
        ],
      });
    const roleA = (
      await iam.send(
        new CreateRoleCommand({
          RoleName: "A",
          AssumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:root`),
        }),
      )
    ).Role!;
    await iam.send(new CreateRoleCommand({ RoleName: "B", AssumeRolePolicyDocument: trust(roleA.Arn!) }));

    // As `tobira add alice` would: the key only in an encrypted file vault (a cheap scrypt cost for the test).
    const vault = new FileVault({
      path: join(root, "vault"),
      passphrase: fixedPassphrase(PASSPHRASE),
      kdf: { log2N: 12, r: 8, p: 1 },
    });
    await vault.keys.set("alice", {
      accessKeyId: aliceKey.id,
      secretAccessKey: aliceKey.secret,
      addedAt: new Date().toISOString(),
    });

    // mfa_process: notes each call (one line = one prompt) and prints a new code each time, so tobira's
    // reused-code check never fires; moto accepts any code.
    const mfaScript = join(root, "mfa-code.sh");
    writeFileSync(
      mfaScript,
      `#!/bin/sh\necho "$$" >> '${mfaLog}'\nn=$(wc -l < '${mfaLog}')\nprintf '%06d\\n' $((100000 + n))\n`,
      { mode: 0o700 },
    );
    const common = `region = us-east-1\nendpoint_url = ${moto.endpoint}\n`;
    writeFileSync(
      join(root, "config"),
      [
        `[profile alice]\n${common}mfa_serial = ${serial}\ntobira_mfa_process = ${mfaScript}\n`,
        `[profile moto-a]\n${common}role_arn = ${roleA.Arn}\nsource_profile = alice\nmfa_serial = ${serial}\n`,
        // Two hours asked for a chained role: tobira must cap it at one and say so.
        `[profile moto-b]\n${common}role_arn = arn:aws:iam::${ACCOUNT}:role/B\nsource_profile = moto-a\nduration_seconds = 7200\n`,
      ].join("\n"),
    );
    const base: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (!name.startsWith("AWS_") && !name.startsWith("TOBIRA_")) base[name] = value;
    }
    env = {
      ...base,
      AWS_CONFIG_FILE: join(root, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(root, "no-credentials-file"),
      AWS_EC2_METADATA_DISABLED: "true",
      TOBIRA_BACKEND: "file",
      TOBIRA_VAULT_FILE: join(root, "vault"),
      TOBIRA_VAULT_PASSPHRASE: PASSPHRASE,
      TOBIRA_CACHE_DIR: join(root, "cache"),
      TOBIRA_RUNTIME_DIR: join(root, "run"),
    };
  });

  after(async () => {
    await moto?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("credential-process for a single role: one MFA code, and moto sees the role A session named alice", async () => {
    const { out } = await credentialProcess("moto-a");
    assert.equal(out.Version, 1);
    assert.notEqual(out.AccessKeyId, aliceKey.id);
    assert.ok(out.SessionToken.length > 0);
    assert.ok(Date.parse(out.Expiration) > Date.now() + 50 * 60_000);
    assert.equal(await callerArn(out), `arn:aws:sts::${ACCOUNT}:assumed-role/A/alice`);
    assert.equal(mfaPrompts(), 1);
  });

  it("the installed bin/tobira.js answers the cached role from its fast path: same keys, vault left closed", async () => {
    const launched = await credentialProcess("moto-a");
    const viaBin = await run(process.execPath, [tobiraBin, "credential-process", "moto-a"], {
      ...env,
      TOBIRA_VAULT_PASSPHRASE: "not the passphrase",
    });
    assert.equal(viaBin.code, 0, viaBin.stderr);
    assert.equal(viaBin.stderr, "");
    assert.deepEqual(JSON.parse(viaBin.stdout), launched.out);
    assert.equal(mfaPrompts(), 1);
  });

  it("exec for the single role: the child's own SDK call goes to moto as role A; no new code", async () => {
    const seen = await execCallerIdentity("moto-a");
    assert.equal(seen.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/A/alice`);
    assert.equal(seen.endpoint, moto!.endpoint);
    assert.equal(mfaPrompts(), 1);
  });

  it("a two-role chain: B assumed from A, capped at one hour with one notice, still one MFA code", async () => {
    const first = await credentialProcess("moto-b");
    assert.match(first.stderr, /at most one hour/);
    assert.equal(first.stderr.match(/one hour/g)?.length, 1, "the cap is said once");
    const expiresIn = Date.parse(first.out.Expiration) - Date.now();
    assert.ok(expiresIn <= 3600_000 + 60_000, `capped at an hour, got ${expiresIn} ms`);
    assert.equal(await callerArn(first.out), `arn:aws:sts::${ACCOUNT}:assumed-role/B/alice`);
    assert.equal(mfaPrompts(), 1);

    // Answered from the cache: the same keys, and nothing said this time.
    const again = await credentialProcess("moto-b");
    assert.equal(again.out.AccessKeyId, first.out.AccessKeyId);
    assert.equal(again.stderr, "");
    const seen = await execCallerIdentity("moto-b");
    assert.equal(seen.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/B/alice`);
  });

  it("no role: GetSessionToken with MFA gives session credentials, never the long-term key", async () => {
    const { out } = await credentialProcess("alice");
    assert.notEqual(out.AccessKeyId, aliceKey.id);
    assert.ok(out.SessionToken.length > 0);
    // moto answers GetCallerIdentity for session-token keys with a stock identity in its default account
    // (it does not track which user asked); the account is what it can vouch for.
    const seen = await execCallerIdentity("alice");
    assert.equal(seen.account, ACCOUNT);
    assert.equal(seen.keyId, out.AccessKeyId);
    assert.equal(seen.token, true);
    // The session token the roles were assumed with is the same one: alice's profile costs no new code.
    assert.equal(mfaPrompts(), 1);
  });

  it("the long-term secret never reaches the output", () => {
    assert.ok(stderrSeen.length > 0);
    for (const text of stderrSeen) assert.equal(text.includes(aliceKey.secret), false);
  });
});
