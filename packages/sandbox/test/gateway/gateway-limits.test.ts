import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { StartSessionCommand } from "@aws-sdk/client-ssm";
import WebSocket from "ws";
import { allowNonInteractiveCommands, preferences, worldWith } from "../agents/agent-worlds.js";
import { startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import { clients, operatorRoles, WEB_A } from "../ssm/workload-clients.js";
import { connect, openSession, signedUpgradeHeaders } from "./session-client.js";

const kmsOff = worldWith((world) => {
  preferences((p) => {
    p.kmsKeyId = "";
    p.shellProfile.linux = "";
  })(world);
  allowNonInteractiveCommands(world);
});

async function operatorOf(t: TestSandbox) {
  const credentials = (await operatorRoles(t, "alice", ["project-a-operator"]))["project-a-operator"]!;
  return { credentials, ...clients(t, credentials) };
}

describe("gateway upgrade checks and frame size", () => {
  let t: TestSandbox;
  let op: Awaited<ReturnType<typeof operatorOf>>;
  before(async () => {
    t = await startTestSandbox({ world: kmsOff });
    op = await operatorOf(t);
  });
  after(() => t.dispose());

  it("refuses an upgrade whose SigV4 signature does not verify, in the JSON protocol's words", async () => {
    const started = await op.ssm.send(new StartSessionCommand({ Target: WEB_A }));
    const wrongSecret = { ...op.credentials, secretAccessKey: `not-${op.credentials.secretAccessKey}` };
    const headers = await signedUpgradeHeaders(started.StreamUrl!, wrongSecret);
    await assert.rejects(
      connect(started.StreamUrl!, headers),
      /upgrade refused: 400 .*InvalidSignatureException/,
    );
    const line = t.auditLines().findLast((l) => l.action === "OpenDataChannel");
    assert.equal(line?.errorCode, "InvalidSignatureException");
  });

  it("refuses a signature scoped to another service", async () => {
    const started = await op.ssm.send(new StartSessionCommand({ Target: WEB_A }));
    const headers = await signedUpgradeHeaders(started.StreamUrl!, op.credentials);
    headers.authorization = headers.authorization!.replace("/ssmmessages/", "/ssm/");
    await assert.rejects(
      connect(started.StreamUrl!, headers),
      /upgrade refused: 400 .*InvalidSignatureException.*ssmmessages/,
    );
  });

  it("answers paths that are not data channels with 404", async () => {
    const url = `${t.sandbox.endpoint.replace("http", "ws")}/v1/data-channel/`;
    await assert.rejects(connect(url), /upgrade refused: 404/);
  });

  it("closes the socket with 1009 when a frame is larger than the gateway takes", async () => {
    const session = await openSession({ ...op, start: { Target: WEB_A } });
    await session.ready;
    const closed = new Promise<number>((resolve) => session.socket.once("close", (code) => resolve(code)));
    session.socket.send(Buffer.alloc(4096), { binary: true });
    assert.equal(await closed, 1009);
  });

  it("refuses a first frame that is not the OpenDataChannel text", async () => {
    const started = await op.ssm.send(new StartSessionCommand({ Target: WEB_A }));
    const socket = await connect(started.StreamUrl!);
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal(await closed, 1008);
  });
});

describe("gateway frame rate per direction", () => {
  let t: TestSandbox;
  let op: Awaited<ReturnType<typeof operatorOf>>;
  before(async () => {
    t = await startTestSandbox({ world: kmsOff, gateway: { framesPerSecond: 100, burstFrames: 10 } });
    op = await operatorOf(t);
  });
  after(() => t.dispose());

  it("pauses an agent above the rate and still delivers every byte", async () => {
    const session = await openSession({
      ...op,
      start: {
        Target: WEB_A,
        DocumentName: "AWS-StartNonInteractiveCommand",
        Parameters: { command: ["seq 1 12000"] },
      },
    });
    const end = await session.ended;
    assert.equal(end.reason, "channel-closed");
    const expected = `${Array.from({ length: 12000 }, (_, i) => i + 1).join("\n")}\n`;
    assert.equal(session.output(), expected);
    assert.equal(session.exitCode(), 0);
    assert.ok(t.sandbox.gateway.stats().agentPauses > 0);
  });

  it("closes a client that sends above the rate, with channel_closed saying why", async () => {
    const session = await openSession({ ...op, start: { Target: WEB_A } });
    await session.ready;
    // 40 KB of keystrokes (empty command lines) = 40 frames back to back, far above a burst of 10.
    void session.channel.sendInput(Buffer.from(":\r".repeat(20 * 1024))).catch(() => {});
    const end = await session.ended;
    assert.equal(end.reason, "channel-closed");
    assert.match(end.output ?? "", /more than 100 data frames per second/);
    assert.ok(t.sandbox.gateway.stats().clientsClosedForRate > 0);
    assert.equal(session.socket.readyState === WebSocket.OPEN, false);
  });
});
