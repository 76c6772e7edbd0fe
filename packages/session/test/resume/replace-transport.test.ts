// §8 reconnection: the transport is swapped under live sequence state; OpenDataChannel goes out with the new
// token; unacknowledged frames are resent; data survives forced disconnects. Plus keepalive pings (§1.6)
// and the plugin's retry schedule.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeFrame } from "../../src/codec/frame.js";
import { parseOpenDataChannel } from "../../src/codec/open-data-channel.js";
import { resumeRetryDelays } from "../../src/session/resume-retry.js";
import { memoryDuplexPair } from "../../src/testing/memory-duplex-pair.js";
import type { TransportCloseInfo } from "../../src/transport.js";
import { ScriptedTransport } from "../support/memory-transport.js";
import {
  collect,
  generatedBytes,
  type PortHarness,
  portHarness,
  sha256,
  writeAll,
} from "../support/port-harness.js";
import { scriptedAgent } from "../support/scripted-roles.js";

describe("resume after websocket drops (§8)", () => {
  it("three forced disconnects under 5% loss: a download and an upload arrive intact, sequences carry on", async () => {
    const down = generatedBytes(4 * 1024 * 1024, "down");
    const up = generatedBytes(2 * 1024 * 1024, "up");
    let uploaded: ReturnType<typeof collect> | undefined;
    let dials = 0;
    const losses: TransportCloseInfo[] = [];
    let h!: PortHarness;
    h = portHarness({
      faults: { drop: 0.05, duplicate: 0.05, jitterMs: 20 },
      seed: 11,
      client: {
        onTransportLost: (info) => {
          losses.push(info);
          // ResumeSession and the new dial take a while; then the same channel continues on the new socket.
          h.clock.setTimeout(
            () => h.session.channel.replaceTransport(h.relay.connectClient(), `token-${losses.length}`),
            300,
          );
        },
      },
      dial: async () => {
        const [service, agentSide] = memoryDuplexPair();
        if (dials++ === 0) {
          service.resume();
          void writeAll(service, down);
        } else uploaded = collect(service);
        return agentSide;
      },
    });
    const [downApp, downLocal] = memoryDuplexPair();
    const downloaded = collect(downApp);
    void h.session.connect(downLocal);
    const [upApp, upLocal] = memoryDuplexPair();
    upApp.resume();
    void h.session.connect(upLocal);
    void writeAll(upApp, up);

    for (const fraction of [0.2, 0.45, 0.7]) {
      assert.ok(await h.runUntil(() => downloaded.bytes().length >= down.length * fraction));
      h.relay.cutClient();
    }
    assert.ok(await h.runUntil(() => downloaded.ended && uploaded?.ended === true));
    assert.equal(sha256(downloaded.bytes()), sha256(down));
    assert.equal(sha256(uploaded!.bytes()), sha256(up));

    assert.equal(losses.length, 3);
    assert.ok(losses.every((l) => l.code === 1006));
    const opens = h.relay.clientOpens.map((t) => {
      const parsed = parseOpenDataChannel(t);
      assert.ok(parsed.ok);
      return parsed.value;
    });
    assert.deepEqual(
      opens.map((o) => o.TokenValue),
      ["token-0", "token-1", "token-2", "token-3"],
    );
    assert.equal(new Set(opens.map((o) => o.ClientId)).size, 1, "same ClientId on every reconnect");
    assert.equal(new Set(opens.map((o) => o.RequestId)).size, 4, "a fresh RequestId per open");
    assert.ok(h.relay.stats().toClient.lostInCut + h.relay.stats().toAgent.lostInCut > 0, "cuts lost frames");
    assert.equal(h.session.channel.connected, true);
  });

  it("the agent role can swap its transport too and resends its unacknowledged handshake request", () => {
    const lost: TransportCloseInfo[] = [];
    const { t: first, agent } = scriptedAgent({
      targetId: "i-1",
      sessionType: "Port",
      properties: { type: "LocalPortForwarding", portNumber: "80" },
      open: { token: "agent-token-0", clientId: "c-1" },
      onTransportLost: (info) => lost.push(info),
    });
    const request = first.binary[0]!;
    first.hangUp(1006);
    assert.equal(agent.connected, false);
    assert.deepEqual(lost, [{ code: 1006 }]);
    const second = new ScriptedTransport();
    agent.replaceTransport(second, "agent-token-1");
    const open = parseOpenDataChannel(second.sent[0] as string);
    assert.ok(open.ok);
    assert.equal(open.value.TokenValue, "agent-token-1");
    assert.equal(open.value.ClientInstanceId, "i-1");
    const resent = decodeFrame(second.binary[0]!);
    assert.ok(resent.ok);
    assert.equal(resent.message.sequenceNumber, 0);
    assert.deepEqual(second.binary[0], request, "the same frame, resent as it was");
    agent.close();
  });

  it("without onTransportLost a drop still ends the channel (unchanged behaviour)", async () => {
    const { t: first, agent } = scriptedAgent();
    first.hangUp(1006);
    const end = await agent.ended;
    assert.equal(end.reason, "transport-closed");
  });
});

describe("keepalive pings (§1.6)", () => {
  it("the client pings right after open and every 5 minutes, and at once on a new transport", async () => {
    const h = portHarness({
      dial: async () => memoryDuplexPair()[1],
      client: { onTransportLost: () => {} },
    });
    const first = h.relay.clientEnd!;
    assert.equal(first.pings, 1);
    await h.runUntil(() => false, 299_000, 1000);
    assert.equal(first.pings, 1);
    await h.runUntil(() => false, 2000, 1000);
    assert.equal(first.pings, 2);
    h.relay.cutClient();
    const second = h.relay.connectClient();
    h.session.channel.replaceTransport(second, "token-1");
    assert.equal(second.pings, 1);
    assert.equal(h.session.channel.ping(), true);
    assert.equal(second.pings, 2);
    h.session.channel.close();
    assert.equal(h.session.channel.ping(), false);
  });
});

describe("retry schedule (§8)", () => {
  it("100–199 ms first, doubling, five attempts", () => {
    assert.deepEqual(
      resumeRetryDelays(() => 0),
      [100, 200, 400, 800, 1600],
    );
    assert.deepEqual(
      resumeRetryDelays(() => 0.999),
      [199, 398, 796, 1592, 3184],
    );
  });
});
