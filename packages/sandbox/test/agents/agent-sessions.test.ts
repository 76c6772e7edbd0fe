import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DescribeSessionsCommand } from "@aws-sdk/client-ssm";
import { findOsAccount } from "../../src/agents/os-users.js";
import type { SessionPreferences, World } from "../../src/world/model.js";
import { closedByAgent, openCommandSession, openSession } from "../gateway/session-client.js";
import { startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import {
  clients,
  type Operator,
  operatorRoles,
  operatorSuite,
  WEB_A,
  WEB_B,
} from "../ssm/workload-clients.js";
import { GenericClient } from "../wire/generic-client.js";
import { PT } from "../wire/spec-wire.js";
import {
  allowNonInteractiveCommands,
  instanceRoleWithoutDecrypt,
  preferences,
  worldWith,
} from "./agent-worlds.js";

function noShellProfile(p: SessionPreferences): void {
  p.shellProfile.linux = "";
}

/** Session preferences without KMS; `change` sets the rest (by default, no shell profile either). */
function kmsOff(change: (p: SessionPreferences) => void = noShellProfile): (world: World) => void {
  return preferences((p) => {
    p.kmsKeyId = "";
    change(p);
  });
}

describe("agent sessions with KMS off (unsigned upgrade, as older plugins dial)", () => {
  const suite = operatorSuite({
    world: worldWith((world) => {
      kmsOff()(world);
      allowNonInteractiveCommands(world);
    }),
  });

  it("starts a plain shell with no handshake; the Run As note comes first when the user cannot be switched to", async () => {
    const session = await openSession({ ...suite.op, signed: false, start: { Target: WEB_A } });
    const info = await session.ready;
    assert.equal(info.handshake, false);
    assert.equal(info.encrypted, false);
    await session.channel.sendInput(Buffer.from("echo me=$USER\r"));
    const output = await session.waitFor("me=os-user1");
    if (process.getuid?.() === 0) {
      // os-user1 does not exist on this machine: the note says so before the prompt.
      assert.match(output, /^\[tobira sandbox\] Run As os-user1: the OS user os-user1 does not exist here/);
    }
    await session.channel.sendInput(Buffer.from("exit\r"));
    await closedByAgent(session);
    assert.equal(session.exitCode(), undefined, "no EXIT_CODE for a shell, as the real agent sends none");
  });

  it("runs a non-interactive command with stdout and stderr apart and its exit code", async () => {
    const session = await openCommandSession(
      suite.op,
      WEB_A,
      "echo out-line; echo err-line >&2; printf 'x%.0s' $(seq 1 3000); exit 7",
    );
    const info = await session.ready;
    assert.equal(info.sessionType, "NonInteractiveCommands");
    await closedByAgent(session);
    assert.equal(session.exitCode(), 7);
    assert.equal(session.output(), `out-line\n${"x".repeat(3000)}`);
    assert.equal(session.stderr(), "err-line\n");
  });
});

describe("agent sessions: the instance role may not kms:Decrypt", () => {
  const suite = operatorSuite({ world: worldWith(instanceRoleWithoutDecrypt) });

  it("fails the session with the article's text, and the audit shows the denied Decrypt", async () => {
    const { t, op } = suite;
    const session = await openSession({ ...op, start: { Target: WEB_A } });
    const end = await closedByAgent(session);
    assert.match(
      end.output ?? "",
      /^Encountered error while initiating handshake\. Fetching data key failed: Unable to retrieve data key, Error when decrypting data key AccessDeniedException: The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access\.\n\tstatus code: 400, request id: [0-9a-f-]{36}$/,
    );
    const requestId = /request id: (\S+)$/.exec(end.output ?? "")?.[1];
    const denied = t.auditLines().find((l) => l.requestId === requestId);
    assert.equal(denied?.action, "Decrypt");
    assert.equal(denied?.errorCode, "AccessDeniedException");
    assert.equal(denied?.principalArn, `arn:aws:sts::222222222222:assumed-role/SSMInstanceRole/${WEB_A}`);
    const history = await op.ssm.send(new DescribeSessionsCommand({ State: "History" }));
    assert.equal(history.Sessions?.find((s) => s.SessionId === session.sessionId)?.Status, "Failed");
  });
});

describe("agent sessions: idle timeout from the preferences", () => {
  const suite = operatorSuite({
    world: worldWith(
      kmsOff((p) => {
        p.idleSessionTimeout = "1";
      }),
    ),
    // One preference minute lasts 300 ms here, so the 1-minute idle timeout fires quickly.
    agents: { preferenceMinuteMs: 300 },
  });

  it("terminates an idle shell with AWS's message in channel_closed, not in the stream", async () => {
    const session = await openSession({ ...suite.op, start: { Target: WEB_A } });
    await session.ready;
    const end = await closedByAgent(session);
    assert.equal(end.output, "Your session timed out due to inactivity and has been terminated.");
    assert.doesNotMatch(session.output(), /timed out|idle/);
  });
});

describe("agent sessions: Run As", () => {
  const nobody = findOsAccount("nobody");
  const canSwitch = process.getuid?.() === 0 && nobody !== undefined && nobody.uid !== 0;
  let t: TestSandbox;
  let a: Operator;
  let b: Operator;
  before(async () => {
    t = await startTestSandbox({
      world: worldWith((world) => {
        kmsOff()(world);
        for (const role of world.roles) {
          if (role.name === "project-a-operator") role.tags.SSMSessionRunAs = "nobody";
          if (role.name === "project-b-operator") role.tags.SSMSessionRunAs = "root";
        }
      }),
    });
    const roles = await operatorRoles(t, "alice", ["project-a-operator", "project-b-operator"]);
    a = { credentials: roles["project-a-operator"]!, ...clients(t, roles["project-a-operator"]!) };
    b = { credentials: roles["project-b-operator"]!, ...clients(t, roles["project-b-operator"]!) };
  });
  after(() => t.dispose());

  it("really switches to an existing OS user when the sandbox runs as root", {
    skip: !canSwitch,
  }, async () => {
    const session = await openCommandSession(
      a,
      WEB_A,
      "echo uid=$(id -u) gid=$(id -g) user=$USER home=$HOME; exit 5",
      "AWS-StartInteractiveCommand",
    );
    await closedByAgent(session);
    assert.match(
      session.output(),
      new RegExp(`uid=${nobody!.uid} gid=${nobody!.gid} user=nobody home=${nobody!.home}`),
    );
    assert.doesNotMatch(session.output(), /tobira sandbox/);
    assert.equal(session.exitCode(), undefined, "InteractiveCommands report no EXIT_CODE");
  });

  it("never runs a session as root, whatever the tag says", async () => {
    const session = await openSession({ ...b, start: { Target: WEB_B } });
    const end = await closedByAgent(session);
    assert.match(end.output ?? "", /^Unable to start the session: Run As never allows the root user\.$/);
  });

  it("does not apply to port sessions: the agent forwards them itself, whatever the tag says", async () => {
    const client = await GenericClient.open({
      ...b,
      clientVersion: "1.0.0",
      start: {
        Target: WEB_B,
        DocumentName: "AWS-StartPortForwardingSession",
        Parameters: { portNumber: ["80"] },
      },
    });
    await client.until("HandshakeComplete", () =>
      client.delivered.some((d) => d.payloadType === PT.HandshakeComplete),
    );
    client.send(PT.Flag, Buffer.from([0, 0, 0, 2]));
    const closing = await client.closed;
    assert.equal(closing.channelClosed?.Output, "");
  });
});

describe("agent sessions: maximum session duration from the preferences", () => {
  const suite = operatorSuite({
    world: worldWith((world) => {
      kmsOff((p) => {
        p.idleSessionTimeout = "60";
        p.maxSessionDuration = "1";
      })(world);
      allowNonInteractiveCommands(world);
    }),
    agents: { preferenceMinuteMs: 300 },
  });

  it("ends a command that outlives maxSessionDuration, saying so in channel_closed alone, with no exit code", async () => {
    const session = await openCommandSession(suite.op, WEB_A, "echo started; sleep 30; echo never");
    const end = await closedByAgent(session);
    assert.match(end.output ?? "", /reached the maximum session duration of 1 minute \(maxSessionDuration\)/);
    assert.equal(session.output(), "started\n");
    assert.equal(session.stderr(), "");
    assert.equal(session.exitCode(), undefined, "a cancelled command reports no EXIT_CODE");
  });
});
