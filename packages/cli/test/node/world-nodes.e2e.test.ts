// On-premises nodes the world file registers (`hybridActivations[].nodes`): online from the start, listed by
// DescribeInstanceInformation (the real SDK) with their activation, role and tags, and reached by the built
// CLI's sessions: a command, a port forward to the service the world gives them, `targets`.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  DeleteActivationCommand,
  DescribeActivationsCommand,
  DescribeInstanceInformationCommand,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { parseWorld } from "@tobira/sandbox";
import { echoText } from "../fixtures/port-clients.mjs";
import { sandboxSshLogin, sshProxyOptions } from "../fixtures/sandbox-sessions.js";
import { BUILT, runToEnd, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";
import { hybridAdmin } from "./hybrid-fixture.js";

const haveOpenSsh = existsSync("/usr/sbin/sshd") && existsSync("/usr/bin/ssh");

const defaultYaml = join(
  fileURLToPath(new URL(".", import.meta.url)),
  "..",
  "..",
  "..",
  "sandbox",
  "worlds",
  "default.yaml",
);

/** The default world plus a lab activation with two registered servers. */
export const WORLD_NODES_SECTION = `
hybridActivations:
  - name: lab
    account: "222222222222"
    region: ap-northeast-1
    iamRole: SSMHybridNodeRole
    defaultInstanceName: lab-server
    tags: { Project: project-a }
    nodes:
      - name: lab-db
        id: mi-0123456789abcdef0
        tags: { Role: db }
        ports:
          - { port: 80, service: http }
          - { port: 7, service: echo }
          - { port: 22, service: sshd }
      - name: lab-win
        platform: Windows
        tags: { Project: project-b }
`;

describe("nodes the world file registers", { skip: !BUILT && "run `npm run build` first" }, () => {
  let fx: SandboxUser;
  let admin: SSMClient;
  before(async () => {
    const world = parseWorld(readFileSync(defaultYaml, "utf8") + WORLD_NODES_SECTION, "world.yaml");
    fx = await startSandboxUser({ label: "world-nodes", world });
    admin = await hybridAdmin(fx);
  });
  after(async () => {
    await fx?.close();
  });

  test("DescribeInstanceInformation lists them Online, as ManagedInstance with the activation's role", async () => {
    const listed = await admin.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: "ResourceType", Values: ["ManagedInstance"] }],
      }),
    );
    const nodes = listed.InstanceInformationList ?? [];
    assert.deepEqual(nodes.map((n) => n.Name).sort(), ["lab-db", "lab-win"]);
    const db = nodes.find((n) => n.Name === "lab-db")!;
    assert.equal(db.InstanceId, "mi-0123456789abcdef0");
    assert.equal(db.PingStatus, "Online");
    assert.equal(db.IamRole, "SSMHybridNodeRole");
    assert.equal(db.PlatformType, "Linux");
    assert.equal(db.RegistrationDate?.toISOString(), "2024-04-01T00:00:00.000Z");
    const win = nodes.find((n) => n.Name === "lab-win")!;
    assert.match(win.InstanceId!, /^mi-[0-9a-f]{17}$/);
    assert.equal(win.PlatformType, "Windows");
    const activations = await admin.send(new DescribeActivationsCommand({}));
    const lab = activations.ActivationList?.find((a) => a.DefaultInstanceName === "lab-server");
    assert.ok(lab, "the world's activation is listed");
    assert.equal(db.ActivationId, lab.ActivationId);
    assert.equal(lab.RegistrationsCount, 2);
    assert.equal(lab.Expired, true, "a day after 2024-04-01, as CreateActivation's default");
    await assert.rejects(
      admin.send(new DeleteActivationCommand({ ActivationId: lab.ActivationId! })),
      /declared in the sandbox's world file/,
    );
  });

  test("targets shows their tags; a session runs a command on one", async () => {
    const listed = await fx.tobira(["targets", "--profile", "project-a", "--json"]);
    assert.equal(listed.code, 0, listed.stderr);
    const targets = JSON.parse(listed.stdout) as { id: string; name: string; project: string }[];
    const db = targets.find((t) => t.id === "mi-0123456789abcdef0");
    assert.deepEqual([db?.name, db?.project], ["lab-db", "project-a"]);
    const ran = await fx.tobira([
      "run",
      "mi-0123456789abcdef0",
      "--profile",
      "project-a",
      "--",
      "echo",
      "on lab-db",
    ]);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /on lab-db/);
    const win = targets.find((t) => t.name === "lab-win");
    assert.ok(
      win === undefined || win.project === "project-b",
      "the node's own tag overrides the activation's",
    );
  });

  test("port forwards reach the services the world gives the node", async () => {
    const { run, ports } = await fx.openPorts(
      ["port", "mi-0123456789abcdef0", "0:80", "0:7", "--profile", "project-a", "--quiet"],
      2,
    );
    try {
      const health = await fetch(`http://127.0.0.1:${ports[0]}/health`);
      assert.equal(await health.text(), "ok mi-0123456789abcdef0 lab-db\n");
      assert.equal(await echoText(ports[1]!, "ping-7"), "ping-7");
    } finally {
      run.child.kill("SIGINT");
      await run.exited;
    }
  });

  test("ssh through ssh-proxy reaches the node's sshd, its host key known from the start", async (t) => {
    if (!haveOpenSsh) return t.skip("no OpenSSH");
    const ssh = sandboxSshLogin(fx);
    assert.ok(ssh, "the sandbox offers its sshd");
    const options = sshProxyOptions(ssh, "project-a");
    const ran = await runToEnd(
      "ssh",
      ["-F", "none", ...options, "mi-0123456789abcdef0", "echo hello-lab-db"],
      {
        env: fx.env,
        timeoutMs: 120_000,
      },
    );
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, "hello-lab-db\n");
  });
});
