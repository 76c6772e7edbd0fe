// `tobira targets` and target lookup through the sandbox's EC2 and SSM, as a user runs them.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, describe, test } from "node:test";
import type { Target } from "../../src/sessions/ssm/targets.js";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

/** What `tobira targets --json` prints of each target (the fields of the shipped Target the test reads). */
type Listed = Pick<Target, "id" | "name" | "state" | "pingStatus" | "platform" | "project" | "privateIp">;

describe("tobira targets through the sandbox", { skip: !BUILT && "run `npm run build` first" }, () => {
  let fx: SandboxUser;
  before(async () => {
    fx = await startSandboxUser({ label: "targets", keyBy: "tobira-add" });
  });
  after(async () => {
    await fx?.close();
  });

  const listed = async (...args: string[]): Promise<Listed[]> => {
    const result = await fx.tobira(["targets", "--profile", "project-a", "--json", ...args]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as Listed[];
  };

  test("--json lists the three instances with state, ping status, platform and Project", async () => {
    const all = await listed();
    assert.deepEqual(
      all.map((t) => [t.id, t.name, t.state, t.pingStatus, t.platform, t.project, t.privateIp]),
      [
        ["i-0a1a0000000000002", "db-a", "running", "Online", "Linux", "project-a", "10.0.1.11"],
        ["i-0a1a0000000000001", "web-a", "running", "Online", "Linux", "project-a", "10.0.1.10"],
        ["i-0b1b0000000000001", "web-b", "running", "Online", "Linux", "project-b", "10.0.1.20"],
      ],
    );
    assert.equal(fx.mfaPrompts(), 1);
  });

  test("the table fits 100 columns and names every instance", async () => {
    const result = await fx.tobira(["targets", "--profile", "project-a"]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^ID\s+NAME\s+STATE\s+PING\s+PLATFORM\s+PROJECT$/);
    assert.match(lines[2]!, /^i-0a1a0000000000001\s+web-a\s+running\s+Online\s+Linux\s+project-a$/);
    assert.equal(lines.length, 4);
    for (const line of lines) assert.ok(line.length <= 100, line);
  });

  test("lookup by Name (with wildcards), tag, private IP, private DNS name and instance id", async () => {
    const ids = async (filter: string) => (await listed(filter)).map((t) => t.id);
    assert.deepEqual(await ids("web-a"), ["i-0a1a0000000000001"]);
    assert.deepEqual(await ids("web-*"), ["i-0a1a0000000000001", "i-0b1b0000000000001"]);
    assert.deepEqual(await ids("tag:Project=project-a"), ["i-0a1a0000000000002", "i-0a1a0000000000001"]);
    assert.deepEqual(await ids("10.0.1.20"), ["i-0b1b0000000000001"]);
    assert.deepEqual(await ids("ip-10-0-1-11"), ["i-0a1a0000000000002"]);
    assert.deepEqual(await ids("i-0a1a0000000000001"), ["i-0a1a0000000000001"]);
    assert.deepEqual(await ids("no-such-name"), []);
    // Still one MFA code for all of it: the session is cached.
    assert.equal(fx.mfaPrompts(), 1);
  });

  test("an ambiguous TARGET without a terminal is an error that lists the candidates", async () => {
    const result = await fx.tobira(["shell", "tag:Project=project-a", "--profile", "project-a"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /2 targets match tag:Project=project-a:/);
    assert.match(result.stderr, /i-0a1a0000000000002 {2}db-a {2}\(running, Online\)/);
    assert.match(result.stderr, /i-0a1a0000000000001 {2}web-a {2}\(running, Online\)/);
    assert.match(result.stderr, /hint: name one by its instance id/);
  });

  test("an unknown TARGET says so, with the way to list targets", async () => {
    const result = await fx.tobira(["run", "nothing-here", "--profile", "project-a", "--", "true"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no instance or managed node matches Name 'nothing-here' in ap-northeast-1/);
    assert.match(result.stderr, /hint: `tobira targets --profile project-a`/);
  });

  test("a stopped instance gets a clear message and the way to start it", async () => {
    const stopped = await fx.tobira([
      "exec",
      "project-a",
      "--",
      process.execPath,
      "-e",
      `const { EC2Client, StopInstancesCommand } = require(${JSON.stringify(createRequire(import.meta.url).resolve("@aws-sdk/client-ec2"))});
       new EC2Client({}).send(new StopInstancesCommand({ InstanceIds: ["i-0a1a0000000000002"] })).then(() => {}, (e) => { console.error(e); process.exit(1); });`,
    ]);
    assert.equal(stopped.code, 0, stopped.stderr);
    const result = await fx.tobira(["shell", "db-a", "--profile", "project-a"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /db-a \(i-0a1a0000000000002\) is stopped/);
    assert.match(result.stderr, /aws ec2 start-instances --instance-ids i-0a1a0000000000002/);
  });
});
