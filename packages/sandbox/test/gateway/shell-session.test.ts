import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DescribeSessionsCommand, ResumeSessionCommand, TerminateSessionCommand } from "@aws-sdk/client-ssm";
import { decodeFrame, encodeClientOpenDataChannel, parseChannelClosedPayload } from "@tobira/session";
import { defaultWorld } from "../../src/world/index.js";
import type { World } from "../../src/world/model.js";
import { type Credentials, startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import { clients, operatorRoles, WEB_A, WORKLOAD } from "../ssm/workload-clients.js";
import { connect, openSession } from "./session-client.js";

/** The default world with a shell profile that leaves a mark (the default one starts a nested bash). */
function worldWithProfile(change: (world: World) => void = () => {}): World {
  const world = defaultWorld();
  for (const preferences of world.sessionPreferences) {
    preferences.shellProfile.linux = "export PROFILE_RAN=yes";
  }
  change(world);
  return world;
}

describe("message gateway and agent: a KMS-encrypted shell on web-a", () => {
  let t: TestSandbox;
  let operator: Credentials;
  before(async () => {
    t = await startTestSandbox({ world: worldWithProfile() });
    operator = (await operatorRoles(t, "alice", ["project-a-operator"]))["project-a-operator"]!;
  });
  after(() => t.dispose());

  it("runs a shell as os-user1 with KMS, follows resizes and ends on exit 3 with no EXIT_CODE", async () => {
    const { ssm, kms } = clients(t, operator);
    const session = await openSession({ ssm, kms, credentials: operator, start: { Target: WEB_A } });
    const info = await session.ready;
    assert.equal(info.encrypted, true);
    assert.equal(info.sessionType, "Standard_Stream");
    assert.match(info.customerMessage, /This session is encrypted using AWS KMS\./);

    await session.channel.sendInput(Buffer.from("echo user=$USER logname=$LOGNAME profile=$PROFILE_RAN\r"));
    await session.waitFor("user=os-user1 logname=os-user1 profile=yes");
    await session.channel.resize(101, 37);
    await session.channel.sendInput(Buffer.from("stty size\r"));
    await session.waitFor("37 101");
    await session.channel.sendInput(Buffer.from("exit 3\r"));
    const end = await session.ended;
    assert.equal(end.reason, "channel-closed");
    assert.equal(end.output, "");
    assert.equal(session.exitCode(), undefined, "the real agent sends no exit code for a shell");

    const history = await ssm.send(new DescribeSessionsCommand({ State: "History" }));
    const listed = history.Sessions?.find((s) => s.SessionId === session.sessionId);
    assert.equal(listed?.Status, "Terminated");

    const transcript = join(t.stateDir, "sessions", `${session.sessionId}.log`);
    assert.equal(statSync(transcript).mode & 0o777, 0o600);
    assert.match(readFileSync(transcript, "utf8"), /user=os-user1 logname=os-user1 profile=yes/);

    const audit = t.auditLines();
    const generate = audit.find(
      (l) => l.action === "GenerateDataKey" && String(l.reason).includes(session.sessionId),
    );
    assert.equal(
      generate?.principalArn,
      `arn:aws:sts::${WORKLOAD}:assumed-role/project-a-operator/alice-session`,
    );
    assert.equal(generate?.decision, "Allow");
    const decrypt = audit.find((l) => l.action === "Decrypt" && String(l.reason).includes(session.sessionId));
    assert.equal(decrypt?.principalArn, `arn:aws:sts::${WORKLOAD}:assumed-role/SSMInstanceRole/${WEB_A}`);
    assert.equal(decrypt?.decision, "Allow");
    const context = JSON.stringify({ "aws:ssm:SessionId": session.sessionId, "aws:ssm:TargetId": WEB_A });
    assert.ok(String(decrypt?.reason).includes(context), String(decrypt?.reason));
    assert.ok(String(generate?.reason).includes(context), String(generate?.reason));
    const open = audit.find(
      (l) => l.action === "OpenDataChannel" && String(l.reason).includes(session.sessionId),
    );
    assert.equal(open?.service, "ssmmessages");
    assert.equal(open?.principalArn, generate?.principalArn);
  });

  it("refuses a wrong token with channel_closed and never starts the agent", async () => {
    const { ssm, kms } = clients(t, operator);
    const session = await openSession({
      ssm,
      kms,
      credentials: operator,
      start: { Target: WEB_A },
      token: (token) => `${token.slice(0, -4)}AAAA`,
    });
    const end = await session.ended;
    assert.equal(end.reason, "channel-closed");
    assert.match(end.output ?? "", new RegExp(`token is not valid for session ${session.sessionId}`));
    await assert.rejects(session.ready);
    assert.equal(existsSync(join(t.stateDir, "sessions", `${session.sessionId}.log`)), false);
  });

  it("TerminateSession closes a live session's socket with channel_closed", async () => {
    const { ssm, kms } = clients(t, operator);
    const session = await openSession({ ssm, kms, credentials: operator, start: { Target: WEB_A } });
    await session.ready;
    await session.channel.sendInput(Buffer.from("echo alive\r"));
    await session.waitFor("alive");
    const closed = new Promise<number>((resolve) => session.socket.once("close", (code) => resolve(code)));
    await ssm.send(new TerminateSessionCommand({ SessionId: session.sessionId }));
    const end = await session.ended;
    assert.equal(end.reason, "channel-closed");
    assert.equal(await closed, 1000);
    const history = await ssm.send(new DescribeSessionsCommand({ State: "History" }));
    assert.equal(history.Sessions?.find((s) => s.SessionId === session.sessionId)?.Status, "Terminated");
  });

  it("answers the plugin's keepalive ping with a pong", async () => {
    const { ssm, kms } = clients(t, operator);
    const session = await openSession({ ssm, kms, credentials: operator, start: { Target: WEB_A } });
    await session.ready;
    const pong = new Promise<string>((resolve) =>
      session.socket.once("pong", (data) => resolve(data.toString())),
    );
    session.socket.ping("keepalive");
    assert.equal(await pong, "keepalive");
    session.channel.close();
    await ssm.send(new TerminateSessionCommand({ SessionId: session.sessionId }));
  });

  it("keeps a session whose client dropped, and carries it on over a resumed connection", {
    timeout: 30_000,
  }, async () => {
    const { ssm, kms } = clients(t, operator);
    const session = await openSession({ ssm, kms, credentials: operator, start: { Target: WEB_A } });
    await session.ready;
    session.socket.terminate();
    await session.ended;
    const statusOf = async (state: "Active" | "History") =>
      (await ssm.send(new DescribeSessionsCommand({ State: state }))).Sessions?.find(
        (s) => s.SessionId === session.sessionId,
      )?.Status;
    // The gateway notices the drop on its own schedule; the client only learns it from DescribeSessions.
    while ((await statusOf("Active")) !== "Disconnected") await new Promise((r) => setTimeout(r, 20));

    const resumed = await ssm.send(new ResumeSessionCommand({ SessionId: session.sessionId }));
    const socket = await connect(resumed.StreamUrl!);
    const frames: Uint8Array[] = [];
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.on("message", (data: Buffer) => frames.push(new Uint8Array(data)));
    socket.send(encodeClientOpenDataChannel({ token: resumed.TokenValue!, clientId: "resumed-client" }));
    while ((await statusOf("Active")) !== "Connected") await new Promise((r) => setTimeout(r, 20));

    await ssm.send(new TerminateSessionCommand({ SessionId: session.sessionId }));
    await closed;
    const last = decodeFrame(frames.at(-1)!);
    assert.ok(last.ok);
    assert.equal(last.message.messageType, "channel_closed");
    const content = parseChannelClosedPayload(last.message.payload);
    assert.ok(content.ok);
    assert.equal(content.value.sessionId, session.sessionId);
    assert.equal(content.value.destinationId, WEB_A);
    assert.equal(await statusOf("History"), "Terminated");
  });
});
