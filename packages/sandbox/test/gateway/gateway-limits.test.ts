import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StartSessionCommand } from "@aws-sdk/client-ssm";
import WebSocket from "ws";
import { allowNonInteractiveCommands, preferences, worldWith } from "../agents/agent-worlds.js";
import { operatorSuite, WEB_A } from "../ssm/workload-clients.js";
import {
  closedByAgent,
  connect,
  openCommandSession,
  openSession,
  signedUpgradeHeaders,
} from "./session-client.js";

const kmsOff = worldWith((world) => {
  preferences((p) => {
    p.kmsKeyId = "";
    p.shellProfile.linux = "";
  })(world);
  allowNonInteractiveCommands(world);
});

describe("gateway upgrade checks and frame size", () => {
  const suite = operatorSuite({ world: kmsOff });

  it("refuses an upgrade whose SigV4 signature does not verify, in the JSON protocol's words", async () => {
    const started = await suite.op.ssm.send(new StartSessionCommand({ Target: WEB_A }));
    const wrongSecret = {
      ...suite.op.credentials,
      secretAccessKey: `not-${suite.op.credentials.secretAccessKey}`,
    };
    const headers = await signedUpgradeHeaders(started.StreamUrl!, wrongSecret);
    await assert.rejects(
      connect(started.StreamUrl!, headers),
      /upgrade refused: 400 .*InvalidSignatureException/,
    );
    const line = suite.t.auditLines().findLast((l) => l.action === "OpenDataChannel");
    assert.equal(line?.errorCode, "InvalidSignatureException");
  });

  it("refuses a signature scoped to another service", async () => {
    const started = await suite.op.ssm.send(new StartSessionCommand({ Target: WEB_A }));
    const headers = await signedUpgradeHeaders(started.StreamUrl!, suite.op.credentials);
    headers.authorization = headers.authorization!.replace("/ssmmessages/", "/ssm/");
    await assert.rejects(
      connect(started.StreamUrl!, headers),
      /upgrade refused: 400 .*InvalidSignatureException.*ssmmessages/,
    );
  });

  it("answers paths that are not data channels with 404", async () => {
    const url = `${suite.t.sandbox.endpoint.replace("http", "ws")}/v1/data-channel/`;
    await assert.rejects(connect(url), /upgrade refused: 404/);
  });

  it("closes the socket with 1009 when a frame is larger than the gateway takes", async () => {
    const session = await openSession({ ...suite.op, start: { Target: WEB_A } });
    await session.ready;
    const closed = new Promise<number>((resolve) => session.socket.once("close", (code) => resolve(code)));
    session.socket.send(Buffer.alloc(4096), { binary: true });
    assert.equal(await closed, 1009);
  });

  it("refuses a first frame that is not the OpenDataChannel text", async () => {
    const started = await suite.op.ssm.send(new StartSessionCommand({ Target: WEB_A }));
    const socket = await connect(started.StreamUrl!);
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal(await closed, 1008);
  });
});

describe("gateway frame rate per direction", () => {
  const suite = operatorSuite({ world: kmsOff, gateway: { framesPerSecond: 100, burstFrames: 10 } });

  it("pauses an agent above the rate and still delivers every byte", async () => {
    const session = await openCommandSession(suite.op, WEB_A, "seq 1 12000");
    await closedByAgent(session);
    const expected = `${Array.from({ length: 12000 }, (_, i) => i + 1).join("\n")}\n`;
    assert.equal(session.output(), expected);
    assert.equal(session.exitCode(), 0);
    assert.ok(suite.t.sandbox.gateway.stats().agentPauses > 0);
  });

  it("tells a client above the rate to pause, then closes it if it goes on, with channel_closed saying why", async () => {
    // A fixed 900 frames/s, as a client that paces without listening (the plugin ignores pause_publication).
    const session = await openSession({
      ...suite.op,
      start: { Target: WEB_A },
      tuning: { framesPerSecond: 900 },
    });
    await session.ready;
    const before = suite.t.sandbox.gateway.stats();
    // 40 KB of keystrokes (empty command lines) = 40 frames back to back, far above a burst of 10.
    void session.channel.sendInput(Buffer.from(":\r".repeat(20 * 1024))).catch(() => {});
    const end = await closedByAgent(session);
    assert.match(end.output ?? "", /more than 100 data frames per second/);
    const after = suite.t.sandbox.gateway.stats();
    assert.equal(after.clientPauses, before.clientPauses + 1, "pause_publication came first");
    assert.ok(after.clientsClosedForRate > before.clientsClosedForRate);
    assert.equal(session.socket.readyState === WebSocket.OPEN, false);
  });
});
