import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { runToEnd } from "../../src/sandbox-control/user-machine.js";
import { BUILT, tobiraBin } from "../fixtures/sandbox-user.js";
import { identityArgs, type RaMachine, REGION, SERVER_ROLE, startRaMachine } from "./ra-fixture.js";

const STS_CALLER = join(import.meta.dirname, "..", "serve", "sts-caller.mjs");

describe("tobira rolesanywhere serve and update, and tobira_rolesanywhere_* profiles", {
  skip: !BUILT && "needs npm run build",
}, () => {
  let m: RaMachine;
  let identity: string[];
  before(async () => {
    m = await startRaMachine();
    identity = identityArgs(m, m.pki.ecLeaf, { intermediates: true });
  });
  after(() => m.dispose());

  const callerWith = async (env: NodeJS.ProcessEnv) => {
    const run = await runToEnd(process.execPath, [STS_CALLER], {
      env: { ...m.env, AWS_REGION: REGION, ...env },
      timeoutMs: 60_000,
    });
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as { Arn: string };
  };

  it("serve: an SDK with only AWS_EC2_METADATA_SERVICE_ENDPOINT gets the role's credentials over IMDSv2", async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [tobiraBin, "rolesanywhere", "serve", "--port", "0", ...identity],
      {
        env: m.env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("\n")) resolve(out.trim());
        });
        child.once("exit", (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const endpoint = /^export AWS_EC2_METADATA_SERVICE_ENDPOINT=(http:\/\/127\.0\.0\.1:\d+\/)$/.exec(
        line,
      )?.[1];
      assert.ok(endpoint, line);
      const who = await callerWith({ AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoint });
      assert.equal(who.Arn, "arn:aws:sts::333333333333:assumed-role/lab-server/8193");
      // IMDSv2 only: no token, no credentials; a proxy's X-Forwarded-For is refused.
      assert.equal((await fetch(`${endpoint}latest/meta-data/iam/security-credentials/`)).status, 401);
      const token = await fetch(`${endpoint}latest/api/token`, {
        method: "PUT",
        headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" },
      });
      const t = await token.text();
      const name = await fetch(`${endpoint}latest/meta-data/iam/security-credentials/`, {
        headers: { "x-aws-ec2-metadata-token": t },
      });
      assert.equal(await name.text(), "lab-server");
      const proxied = await fetch(`${endpoint}latest/meta-data/iam/security-credentials/lab-server`, {
        headers: { "x-aws-ec2-metadata-token": t, "x-forwarded-for": "10.0.0.1" },
      });
      assert.equal(proxied.status, 400);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("update --once: writes the section atomically with mode 0600 and keeps the others", async () => {
    const credentialsFile = join(m.home, "update-credentials");
    writeFileSync(
      credentialsFile,
      "[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = keep\n\n[lab]\nregion = eu-west-1\naws_access_key_id = OLD\n",
      { mode: 0o644 },
    );
    const run = await m.tobira(
      ["rolesanywhere", "update", "--once", "--credentials-profile", "lab", ...identity],
      { AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
    );
    assert.equal(run.code, 0, run.stderr);
    const text = readFileSync(credentialsFile, "utf8");
    assert.match(
      text,
      /^\[other\]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = keep\n\n\[lab\]\naws_access_key_id = ASIA\w+\naws_secret_access_key = \S+\naws_session_token = \S+\nregion = eu-west-1\n$/,
    );
    assert.equal(statSync(credentialsFile).mode & 0o777, 0o600);
    const who = await callerWith({ AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_PROFILE: "lab" });
    assert.equal(who.Arn, "arn:aws:sts::333333333333:assumed-role/lab-server/8193");
  });

  it("a config profile with tobira_rolesanywhere_* keys works with export, exec, credential-process and --profile", async () => {
    mkdirSync(join(m.home, ".aws"), { recursive: true });
    const config = [
      "[profile lab-server]",
      `region = ${REGION}`,
      `tobira_rolesanywhere_certificate = ${m.pki.rsaLeaf.certificatePath}`,
      `tobira_rolesanywhere_private_key = ${m.pki.rsaLeaf.keyPath}`,
      `tobira_rolesanywhere_intermediates = ${m.pki.intermediatePath}`,
      `tobira_rolesanywhere_trust_anchor_arn = ${m.anchorArn}`,
      `tobira_rolesanywhere_profile_arn = ${m.profileArn}`,
      `tobira_rolesanywhere_role_arn = ${SERVER_ROLE}`,
      "tobira_rolesanywhere_session_duration = 1800",
      "",
      "[profile lab-deployer]",
      "role_arn = arn:aws:iam::333333333333:role/lab-deployer",
      "source_profile = lab-server",
      `region = ${REGION}`,
      "",
    ].join("\n");
    writeFileSync(join(m.home, ".aws", "config"), config);
    const exported = await m.tobira(["export", "lab-server", "--format", "json"]);
    assert.equal(exported.code, 0, exported.stderr);
    const vars = JSON.parse(exported.stdout) as Record<string, string>;
    assert.ok(Math.abs(Date.parse(vars.AWS_CREDENTIAL_EXPIRATION!) - Date.now() - 1800_000) < 60_000);
    const sts = new STSClient({
      endpoint: m.sandbox.endpoint,
      region: REGION,
      credentials: {
        accessKeyId: vars.AWS_ACCESS_KEY_ID!,
        secretAccessKey: vars.AWS_SECRET_ACCESS_KEY!,
        sessionToken: vars.AWS_SESSION_TOKEN!,
      },
    });
    assert.equal(
      (await sts.send(new GetCallerIdentityCommand({}))).Arn,
      "arn:aws:sts::333333333333:assumed-role/lab-server/8192",
    );
    const exec = await m.tobira(["exec", "lab-server", "--", process.execPath, STS_CALLER]);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(
      (JSON.parse(exec.stdout) as { Arn: string }).Arn,
      "arn:aws:sts::333333333333:assumed-role/lab-server/8192",
    );
    const cp = await m.tobira(["credential-process", "lab-server"]);
    assert.equal(cp.code, 0, cp.stderr);
    assert.equal((JSON.parse(cp.stdout) as { Version: number }).Version, 1);
    const own = await m.tobira([
      "rolesanywhere",
      "credential-process",
      "--profile",
      "lab-server",
      "--session-duration",
      "900",
    ]);
    assert.equal(own.code, 0, own.stderr);
    // A role profile on top: the certificate's session assumes lab-deployer (whose trust names lab-server).
    const chained = await m.tobira(["exec", "lab-deployer", "--", process.execPath, STS_CALLER]);
    assert.equal(chained.code, 0, chained.stderr);
    assert.match(
      (JSON.parse(chained.stdout) as { Arn: string }).Arn,
      /^arn:aws:sts::333333333333:assumed-role\/lab-deployer\//,
    );
    const listed = await m.tobira(["list", "--json"]);
    assert.match(listed.stdout, /"rolesanywhere"/);
  });

  it("a profile with the certificate but not the ARNs says which keys are missing", async () => {
    writeFileSync(
      join(m.home, ".aws", "config"),
      `[profile half]\ntobira_rolesanywhere_certificate = ${m.pki.rsaLeaf.certificatePath}\n`,
    );
    const run = await m.tobira(["export", "half"]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /profile "half" names a certificate but has no tobira_rolesanywhere_private_key, tobira_rolesanywhere_trust_anchor_arn, tobira_rolesanywhere_profile_arn, tobira_rolesanywhere_role_arn/,
    );
  });
});
