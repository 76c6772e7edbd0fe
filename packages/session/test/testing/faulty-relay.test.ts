// The fault-injection relay itself: seeded and reproducible, faults only on binary frames, cuts lose what
// was in flight, the agent's end survives client reconnects; and the in-memory socket pair's back-pressure.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../src/clock.js";
import { FaultyRelay } from "../../src/testing/faulty-relay.js";
import { memoryDuplexPair } from "../../src/testing/memory-duplex-pair.js";

function run(seed: number) {
  const clock = new ManualClock();
  const relay = new FaultyRelay({ clock, seed, toAgent: { drop: 0.2, duplicate: 0.2, jitterMs: 50 } });
  const received: number[] = [];
  relay.agentEnd.onMessage((d) => {
    if (typeof d !== "string") received.push(d[0]!);
  });
  const client = relay.connectClient();
  client.send("open");
  for (let i = 0; i < 200; i++) client.send(Uint8Array.of(i));
  clock.advance(1000);
  return { received, relay };
}

describe("FaultyRelay", () => {
  it("the same seed gives the same losses, duplicates and order; another seed differs", () => {
    const a = run(5);
    const b = run(5);
    const c = run(6);
    assert.deepEqual(a.received, b.received);
    assert.notDeepEqual(a.received, c.received);
    const stats = a.relay.stats().toAgent;
    assert.equal(stats.frames, 200);
    assert.ok(stats.dropped > 10 && stats.duplicated > 10);
    assert.equal(a.received.length, 200 - stats.dropped + stats.duplicated);
    const inOrder = a.received.every((v, i) => i === 0 || v >= a.received[i - 1]!);
    assert.equal(inOrder, false, "jitter reorders frames");
    assert.deepEqual(a.relay.clientOpens, ["open"], "text frames are recorded, never faulted or forwarded");
  });

  it("a cut closes the client end with 1006, loses frames in flight, and a new client end reaches the same agent", () => {
    const clock = new ManualClock();
    const relay = new FaultyRelay({ clock, latencyMs: 10 });
    const atAgent: number[] = [];
    relay.agentEnd.onMessage((d) => {
      if (typeof d !== "string") atAgent.push(d[0]!);
    });
    const first = relay.connectClient();
    const closes: (number | undefined)[] = [];
    first.onClose((info) => closes.push(info.code));
    first.send(Uint8Array.of(1));
    relay.agentEnd.send(Uint8Array.of(9)); // toward the client, in flight
    relay.cutClient();
    assert.deepEqual(closes, [1006]);
    assert.throws(() => first.send(Uint8Array.of(2)), /closed/);
    clock.advance(100);
    assert.deepEqual(atAgent, [], "the frame in flight on the cut connection was lost");
    assert.equal(relay.stats().toAgent.lostInCut + relay.stats().toClient.lostInCut, 2);
    const second = relay.connectClient();
    const atClient: number[] = [];
    second.onMessage((d) => {
      if (typeof d !== "string") atClient.push(d[0]!);
    });
    second.send(Uint8Array.of(3));
    relay.agentEnd.send(Uint8Array.of(4));
    clock.advance(100);
    assert.deepEqual(atAgent, [3]);
    assert.deepEqual(atClient, [4]);
    assert.equal(relay.agentEnd.closed, false);
  });
});

describe("memoryDuplexPair", () => {
  it("carries bytes both ways with half-close, and a writer waits for a reader that does not read", async () => {
    const [a, b] = memoryDuplexPair(1024);
    let wrote = 0;
    while (a.write(Buffer.alloc(512))) wrote += 512;
    await new Promise((r) => setImmediate(r));
    assert.ok(wrote <= 4096, `writer stopped after ${wrote} bytes`);
    let drained = false;
    a.once("drain", () => {
      drained = true;
    });
    const chunks: Buffer[] = [];
    b.on("data", (c: Buffer) => chunks.push(c));
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(drained);
    a.end();
    await new Promise((r) => b.once("end", r));
    b.end("back");
    const back: Buffer[] = [];
    a.on("data", (c: Buffer) => back.push(c));
    await new Promise((r) => a.once("end", r));
    assert.equal(Buffer.concat(back).toString(), "back");
  });
});
