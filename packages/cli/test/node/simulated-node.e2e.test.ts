// The simulated hybrid node through the built CLI: registration with the code on stdin, the agent's refresh
// into the node folder's shared credentials file, the role usable with the SDK, sessions and `targets` to
// the mi-… node (a command, a port forward, ssh through ssh-proxy), a hardware change that hibernates it, and re-registration.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DescribeInstanceInformationCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { echoText } from "../fixtures/port-clients.mjs";
import { sandboxSshLogin, sshProxyOptions } from "../fixtures/sandbox-sessions.js";
import { BUILT, runToEnd, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";
import { hybridAdmin, newActivation, REGION, registerArgs, registerNode } from "./hybrid-fixture.js";

const haveOpenSsh = existsSync("/usr/sbin/sshd") && existsSync("/usr/bin/ssh");

function credentialsIn(file: string): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
  const text = readFileSync(file, "utf8");
  const value = (key: string) => new RegExp(`^${key}\\s*=\\s*(\\S+)$`, "m").exec(text)?.[1] ?? "";
  return {
    accessKeyId: value("aws_access_key_id"),
    secretAccessKey: value("aws_secret_access_key"),
    sessionToken: value("aws_session_token"),
  };
}

describe("tobira sandbox node", { skip: !BUILT && "run `npm run build` first" }, () => {
  let fx: SandboxUser;
  let admin: SSMClient;
  let activation: { id: string; code: string };
  let nodeId = "";
  let nodeDir = "";
  before(async () => {
    fx = await startSandboxUser({ label: "hybrid-node" });
    admin = await hybridAdmin(fx);
    activation = await newActivation(admin);
  });
  after(async () => {
    await fx?.close();
  });

  test("refuses the activation code in argv, and a wrong code in AWS's words", async () => {
    const literal = await fx.tobira(registerArgs(fx, activation.id, { code: activation.code }));
    assert.equal(literal.code, 2);
    assert.match(literal.stderr, /does not go on the command line/);
    assert.ok(!literal.stderr.includes(activation.code));
    const wrong = await fx.tobira(registerArgs(fx, activation.id, { nodeDir: join(fx.root, "wrong") }), {
      input: "x".repeat(24),
    });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /RegisterManagedInstance was refused: InvalidActivation/);
  });

  test("registers: key pair and fingerprint in the vault, 0600 in 0700 folders", async () => {
    ({ nodeId, nodeDir } = await registerNode(fx, activation));
    assert.match(nodeId, /^mi-[0-9a-f]{17}$/);
    const key = JSON.parse(readFileSync(join(nodeDir, "Vault", "Store", "RegistrationKey"), "utf8"));
    assert.equal(key.instanceID, nodeId);
    assert.equal(key.privateKeyType, "Rsa");
    const print = JSON.parse(readFileSync(join(nodeDir, "Vault", "Store", "InstanceFingerprint"), "utf8"));
    assert.match(print.fingerprint, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(Object.keys(print.hardwareHash).length, 9);
    assert.equal(print.similarityThreshold, 40);
    assert.equal(statSync(join(nodeDir, "Vault", "Store", "RegistrationKey")).mode & 0o777, 0o600);
    assert.equal(statSync(join(nodeDir, "Vault")).mode & 0o777, 0o700);
    const again = await fx.tobira(registerArgs(fx, activation.id, { nodeDir }), { input: activation.code });
    assert.match(again.stderr, /already registered as mi-.*\n.*--force/);
  });

  test("refreshes the role into the node's credentials file: assumed-role/SSMHybridNodeRole/mi-…", async () => {
    const run = await fx.tobira(["sandbox", "node", "run", "--once", "--node-dir", nodeDir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /credentials refreshed for mi-/);
    const file = join(nodeDir, "credentials");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const sts = new STSClient({
      endpoint: fx.sandbox.endpoint,
      region: REGION,
      credentials: credentialsIn(file),
    });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:sts::222222222222:assumed-role/SSMHybridNodeRole/${nodeId}`);
    const identity = JSON.parse(readFileSync(join(nodeDir, "runtimeconfig", "identity_config.json"), "utf8"));
    const life = Date.parse(identity.CredentialsExpiresAt) - Date.parse(identity.CredentialsRetrievedAt);
    assert.ok(Math.abs(life - 3600_000) < 5000);
    const status = JSON.parse(readFileSync(join(nodeDir, "agent-status.json"), "utf8"));
    const half = Date.parse(status.nextRotationAt) - Date.parse(status.lastRefreshAt);
    assert.ok(Math.abs(half - 1800_000) < 5000, "the next rotation is at half-life");
  });

  test("--speed brings the next pass sooner; the credentials' expiry stays the sandbox's hour", async () => {
    const run = await fx.tobira(["sandbox", "node", "run", "--once", "--speed", "60", "--node-dir", nodeDir]);
    assert.equal(run.code, 0, run.stderr);
    const identity = JSON.parse(readFileSync(join(nodeDir, "runtimeconfig", "identity_config.json"), "utf8"));
    const life = Date.parse(identity.CredentialsExpiresAt) - Date.parse(identity.CredentialsRetrievedAt);
    assert.ok(Math.abs(life - 3600_000) < 5000, "the token's true expiry");
    const status = JSON.parse(readFileSync(join(nodeDir, "agent-status.json"), "utf8"));
    const next = Date.parse(status.nextRotationAt) - Date.parse(status.lastRefreshAt);
    assert.ok(Math.abs(next - 30_000) < 1000, `the next pass in real time (${next} ms)`);
    assert.equal(status.speed, 60);
  });

  test("targets shows the node's tags, and a session runs a command on it", async () => {
    const listed = await fx.tobira(["targets", nodeId, "--profile", "project-a", "--json"]);
    assert.equal(listed.code, 0, listed.stderr);
    const [target] = JSON.parse(listed.stdout) as {
      id: string;
      project: string;
      name: string;
      pingStatus: string;
    }[];
    assert.deepEqual(
      [target?.id, target?.name, target?.project, target?.pingStatus],
      [nodeId, "onprem-1", "project-a", "Online"],
    );
    const ran = await fx.tobira([
      "run",
      nodeId,
      "--profile",
      "project-a",
      "--",
      "echo",
      "hello from the server",
    ]);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /hello from the server/);
  });

  test("tobira port forwards to the node's web server, and ssh through ssh-proxy runs a command on it", async () => {
    const { run, ports } = await fx.openPorts(["port", nodeId, "0:80", "--profile", "project-a", "--quiet"]);
    try {
      const health = await fetch(`http://127.0.0.1:${ports[0]}/health`);
      assert.equal(health.status, 200);
      assert.equal(await health.text(), `ok ${nodeId} onprem-1\n`);
    } finally {
      run.child.kill("SIGINT");
      await run.exited;
    }
    if (!haveOpenSsh) return;
    const ssh = sandboxSshLogin(fx);
    assert.ok(ssh, "the sandbox offers its sshd");
    const options = sshProxyOptions(ssh, "project-a");
    const ran = await runToEnd("ssh", ["-F", "none", ...options, nodeId, "echo hello-over-ssh"], {
      env: fx.env,
      timeoutMs: 120_000,
    });
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, "hello-over-ssh\n");
  });

  test("register --port chooses the services the node serves, in place of 80 and 22", async () => {
    const bad = await fx.tobira(
      [
        "sandbox",
        "node",
        "register",
        "--port",
        "5432:tcp",
        "--id",
        activation.id,
        "--region",
        REGION,
        "--code",
        "-",
      ],
      {
        input: activation.code,
      },
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--port 5432:tcp is not PORT:SERVICE/);
    const { nodeId: served, report } = await registerNode(fx, activation, join(fx.root, "served"), [
      "--port",
      "7:echo",
      "--port",
      "8080:http",
    ]);
    assert.deepEqual(report.ports, [
      { port: 7, service: "echo" },
      { port: 8080, service: "http" },
    ]);
    const { run, ports } = await fx.openPorts(
      ["port", served, "0:8080", "0:7", "--profile", "project-a", "--quiet"],
      2,
    );
    try {
      const health = await fetch(`http://127.0.0.1:${ports[0]}/health`);
      assert.equal(await health.text(), `ok ${served} onprem-1\n`);
      assert.equal(await echoText(ports[1]!, "echo-7"), "echo-7");
    } finally {
      run.child.kill("SIGINT");
      await run.exited;
    }
  });

  test("node status: id, Region, role, expiry and refresh; a warning before hibernation naming what changed", async () => {
    const status = async () => {
      const result = await fx.tobira(["node", "status", "--agent-dir", nodeDir, "--json"]);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout) as Record<string, unknown> & { similarity: Record<string, unknown> };
    };
    const fresh = await status();
    assert.equal(fresh.nodeId, nodeId);
    assert.equal(fresh.region, REGION);
    assert.equal(fresh.roleArn, `arn:aws:sts::222222222222:assumed-role/SSMHybridNodeRole/${nodeId}`);
    assert.ok(Date.parse(String(fresh.credentialsExpireAt)) > Date.now());
    assert.ok(Date.parse(String(fresh.lastRefreshAt)) <= Date.now());
    assert.deepEqual(fresh.similarity, {
      percent: 100,
      threshold: 40,
      percentIfIpChanges: 88,
      changed: [],
      level: "ok",
    });
    assert.equal(fresh.warning, null);
    const parts = ["memory", "disks", "bios"].flatMap((p) => ["--change", p]);
    assert.equal((await fx.tobira(["sandbox", "node", "hardware", "--node-dir", nodeDir, ...parts])).code, 0);
    const drifted = await status();
    assert.equal(drifted.similarity.level, "warning");
    assert.deepEqual(drifted.similarity.changed, ["memory-hash", "bios-hash", "disk-info"]);
    assert.match(
      String(drifted.warning),
      /one more changed attribute \(with a new IP\) and the agent hibernates: similarity 55% vs threshold 40%/,
    );
    const text = await fx.tobira(["node", "status", "--agent-dir", nodeDir]);
    assert.match(text.stdout, /^warning: one more changed attribute/m);
  });

  test("a hardware change below the threshold hibernates the agent; re-registration recovers", async () => {
    const parts = ["ip", "memory", "disks", "bios", "system", "processor"].flatMap((p) => ["--change", p]);
    const changed = await fx.tobira(["sandbox", "node", "hardware", "--node-dir", nodeDir, ...parts]);
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(
      changed.stdout,
      /similarity to the registered machine: 33% \(threshold 40%, a different machine/,
    );
    const run = await fx.tobira(["sandbox", "node", "run", "--once", "--node-dir", nodeDir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /hibernating: hardware changed .*MachineFingerprintDoesNotMatch/);
    const info = await admin.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: [nodeId] }] }),
    );
    assert.equal(info.InstanceInformationList?.[0]?.PingStatus, "ConnectionLost");
    const { nodeId: second } = await registerNode(fx, await newActivation(admin), nodeDir, ["--force"]);
    assert.notEqual(second, nodeId);
    const back = await fx.tobira(["sandbox", "node", "run", "--once", "--node-dir", nodeDir]);
    assert.match(back.stdout, new RegExp(`credentials refreshed for ${second}`));
  });
});
