// What a world may say of an instance beyond its state: its agent no longer answers (agentOnline: false), and
// the OS users it has (osUsers), which decide whether a Run As user can start a session there.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DescribeInstanceInformationCommand, StartSessionCommand } from "@aws-sdk/client-ssm";
import { parseWorld } from "../../src/world/index.js";
import { closedByAgent, openSession } from "../gateway/session-client.js";
import { awsError } from "../server/sandbox-fixture.js";
import { operatorSuite, WEB_A } from "../ssm/workload-clients.js";
import { worldWith } from "./agent-worlds.js";

function webA(world: Parameters<Parameters<typeof worldWith>[0]>[0]) {
  const instance = world.instances.find((i) => i.id === WEB_A);
  assert.ok(instance);
  return instance;
}

describe("an instance whose agent stopped answering", () => {
  const suite = operatorSuite({ world: worldWith((w) => (webA(w).agentOnline = false)) });

  it("is ConnectionLost although it runs, and StartSession says it is not connected", async () => {
    const info = await suite.op.ssm.send(new DescribeInstanceInformationCommand({}));
    const node = info.InstanceInformationList?.find((n) => n.InstanceId === WEB_A);
    assert.equal(node?.PingStatus, "ConnectionLost");
    const refused = await awsError(suite.op.ssm.send(new StartSessionCommand({ Target: WEB_A })));
    assert.equal(refused.name, "TargetNotConnected");
  });
});

describe("an instance that lists its OS users", () => {
  const suite = operatorSuite({ world: worldWith((w) => (webA(w).osUsers = ["ec2-user", "ssm-user"])) });

  it("fails a session whose Run As user it does not have, in the agent's words", async () => {
    const session = await openSession({ ...suite.op, start: { Target: WEB_A } });
    const end = await closedByAgent(session);
    assert.equal(
      end.output,
      "Unable to start command: failed to start pty since RunAs user os-user1 does not exist",
    );
  });
});

describe("world files", () => {
  it("read agentOnline and osUsers, and check the user names", () => {
    const yaml = (extra: string) => `
accounts: [{ id: "111111111111", alias: main }]
instances:
  - { id: i-0a1a0000000000009, name: box, account: "111111111111", ${extra} }
`;
    const world = parseWorld(yaml("agentOnline: false, osUsers: [ec2-user]"), "w.yaml");
    assert.equal(world.instances[0]?.agentOnline, false);
    assert.deepEqual(world.instances[0]?.osUsers, ["ec2-user"]);
    assert.equal(parseWorld(yaml("state: running"), "w.yaml").instances[0]?.agentOnline, undefined);
    assert.throws(
      () => parseWorld(yaml("osUsers: ['no such user!']"), "w.yaml"),
      /instances\[0\]\.osUsers\[0\]: expected an OS user name/,
    );
  });
});
