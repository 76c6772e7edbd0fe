// `tobira serve` as a user runs it, against the sandbox: an AWS SDK v3 program reads the role's credentials
// through AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE; anyone without the token
// gets 403; the token file is 0600 and goes away on SIGTERM; nothing secret reaches the server's output.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { BUILT, runToEnd, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

const stsCaller = join(fileURLToPath(new URL(".", import.meta.url)), "sts-caller.mjs");
const PROJECT_A = "arn:aws:sts::222222222222:assumed-role/project-a-operator/alice";

describe("tobira serve against the sandbox", { skip: !BUILT && "run `npm run build` first" }, () => {
  let f: SandboxUser;
  before(async () => {
    f = await startSandboxUser({ label: "serve" });
  });
  after(() => f?.close());

  it("serves a role to an SDK program, refuses a wrong token, and cleans up on SIGTERM", async () => {
    const watched = f.spawnTobira(["serve", "project-a"]);
    const server = watched.child;
    try {
      await watched.waitFor(/^unset /m);
      const stdout = watched.stdout();
      const uri = /AWS_CONTAINER_CREDENTIALS_FULL_URI='(http:\/\/127\.0\.0\.1:\d+\/credentials)'/.exec(
        stdout,
      )?.[1];
      const tokenFile = /AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE='([^']+)'/.exec(stdout)?.[1];
      const endpoint = /AWS_ENDPOINT_URL='([^']+)'/.exec(stdout)?.[1];
      assert.ok(uri && tokenFile && endpoint, stdout);
      assert.equal(endpoint, f.sandbox.endpoint);
      assert.match(stdout, /^export .*AWS_REGION='ap-northeast-1'/m);
      assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
      const token = readFileSync(tokenFile, "utf8");
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);

      // A user's program, configured only through the environment serve printed.
      const program = await runToEnd(process.execPath, [stsCaller], {
        env: {
          ...f.env,
          AWS_CONTAINER_CREDENTIALS_FULL_URI: uri,
          AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
          AWS_REGION: "ap-northeast-1",
          AWS_ENDPOINT_URL: endpoint,
          AWS_CONFIG_FILE: join(f.root, "no-config"),
        },
      });
      assert.equal(program.code, 0, program.stderr);
      assert.equal((JSON.parse(program.stdout) as { Arn: string }).Arn, PROJECT_A);

      const wrong = await fetch(uri, { headers: { authorization: `${token.slice(0, -2)}xx` } });
      assert.equal(wrong.status, 403);
      assert.equal(((await wrong.json()) as { Code: string }).Code, "AccessDenied");
      assert.equal((await fetch(uri)).status, 403);
      assert.equal(
        (
          await fetch(uri.replace("/credentials", "/latest/meta-data/"), {
            headers: { authorization: token },
          })
        ).status,
        404,
      );

      const served = (await (await fetch(uri, { headers: { authorization: token } })).json()) as Record<
        string,
        string
      >;
      assert.match(served.AccessKeyId ?? "", /^ASIA/);
      assert.ok(served.SecretAccessKey && served.Token && served.Expiration);

      server.kill("SIGTERM");
      assert.equal(await watched.exited, 0);
      assert.equal(existsSync(tokenFile), false, "the token file is removed on SIGTERM");
      const [out, err] = [watched.stdout(), watched.stderr()];
      for (const secret of [token, served.SecretAccessKey!, served.Token!, f.aliceKey.secretAccessKey]) {
        assert.ok(!out.includes(secret) && !err.includes(secret), "no secret in serve's output");
      }
      assert.match(err, /refused a request with a wrong token \(403\)/);
    } finally {
      if (server.exitCode === null) server.kill("SIGKILL");
    }
  });

  it("runs a command pointed at its own endpoint and returns the command's status", async () => {
    const result = await f.tobira(["serve", "switch", "--", process.execPath, stsCaller]);
    assert.equal(result.code, 0, result.stderr);
    const child = JSON.parse(result.stdout) as { Arn: string; tokenFile: string };
    assert.equal(child.Arn, "arn:aws:sts::222222222222:assumed-role/Role-for-switch/alice");
    assert.equal(existsSync(child.tokenFile), false, "the token file is gone once the command ended");

    const failing = await f.tobira(["serve", "switch", "--", process.execPath, "-e", "process.exit(7)"]);
    assert.equal(failing.code, 7);
  });

  it("exec --server gives the child an endpoint, not keys, and its SDK call acts as the role", async () => {
    const child = [
      "--input-type=module",
      "-e",
      `const { STSClient, GetCallerIdentityCommand } = await import(${JSON.stringify(import.meta.resolve("@aws-sdk/client-sts"))});
       const id = await new STSClient({}).send(new GetCallerIdentityCommand({}));
       const names = ["AWS_ACCESS_KEY_ID", "AWS_SESSION_TOKEN", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
         "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "TOBIRA_PROFILE"];
       console.log(JSON.stringify({ arn: id.Arn, set: names.filter((n) => process.env[n] !== undefined),
         tokenFile: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE }));`,
    ];
    const result = await f.tobira(["exec", "--server", "switch", "--", process.execPath, ...child]);
    assert.equal(result.code, 0, result.stderr);
    const seen = JSON.parse(result.stdout) as { arn: string; set: string[]; tokenFile: string };
    assert.equal(seen.arn, "arn:aws:sts::222222222222:assumed-role/Role-for-switch/alice");
    assert.deepEqual(seen.set, [
      "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
      "TOBIRA_PROFILE",
    ]);
    assert.equal(existsSync(seen.tokenFile), false, "the token file is gone once the child ended");
    const failing = await f.tobira([
      "exec",
      "--server",
      "switch",
      "--",
      process.execPath,
      "-e",
      "process.exit(5)",
    ]);
    assert.equal(failing.code, 5);
  });

  it("writes the token where --token-file says", async () => {
    const path = join(f.root, "my.token");
    const result = await f.tobira([
      "serve",
      "switch",
      "--token-file",
      path,
      "--",
      process.execPath,
      "-e",
      "const fs=require('node:fs');const p=process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;" +
        "console.log(JSON.stringify({p,mode:fs.statSync(p).mode&0o777}))",
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { p: path, mode: 0o600 });
    assert.equal(existsSync(path), false);
  });
});
