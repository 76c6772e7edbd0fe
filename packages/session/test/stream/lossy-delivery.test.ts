import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ManualClock } from "../../src/clock.js";
import { openAgentDataChannel } from "../../src/session/agent-data-channel.js";
import { openClientDataChannel } from "../../src/session/client-data-channel.js";
import { FakeKms } from "../support/fake-kms.js";
import { memoryTransportPair, runFor, type WireFaults } from "../support/memory-transport.js";

const KEY_ID = "arn:aws:kms:us-east-1:111122223333:key/k";

/** Runs a session over a faulty wire and returns what each side received, as ordered message lists. */
async function exchange(seed: number, faults: WireFaults, count: number, kms: boolean) {
  const clock = new ManualClock();
  const { a, b } = memoryTransportPair(clock, { latencyMs: 3, seed, aToB: faults, bToA: faults });
  const fake = new FakeKms();
  const fromAgent: string[] = [];
  const fromClient: string[] = [];
  const client = openClientDataChannel({
    transport: a,
    token: "t",
    sessionId: "s",
    targetId: "i",
    clock,
    generateDataKey: fake.generateDataKey,
    onOutput: (bytes) => fromAgent.push(Buffer.from(bytes).toString()),
  });
  const agent = openAgentDataChannel({
    transport: b,
    sessionId: "s",
    targetId: "i",
    sessionType: "Standard_Stream",
    clock,
    ...(kms ? { kms: { keyId: KEY_ID, decrypt: fake.decrypt } } : {}),
    onInput: (bytes) => fromClient.push(Buffer.from(bytes).toString()),
  });
  const writes: Promise<void>[] = [];
  for (let i = 0; i < count; i++) writes.push(agent.write(Buffer.from(`out-${i};`)));
  await runFor(clock, 200, 10);
  for (let i = 0; i < count; i++) writes.push(client.sendInput(Buffer.from(`in-${i};`)));
  // Enough simulated time for RTO-paced recovery of every loss.
  for (let round = 0; round < 200 && (fromAgent.length < count || fromClient.length < count); round++)
    await runFor(clock, 500, 50);
  await runFor(clock, 3000, 100);
  await Promise.all(writes);
  return { fromAgent, fromClient, client, agent };
}

const expected = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i};`);

describe("reliable delivery over a lossy, duplicating, reordering wire", () => {
  it("20% loss, 20% duplication, reordering jitter: every message arrives once, in order (fixed seed)", async () => {
    const r = await exchange(7, { drop: 0.2, duplicate: 0.2, jitterMs: 40 }, 60, true);
    assert.deepEqual(r.fromAgent, expected("out", 60));
    assert.deepEqual(r.fromClient, expected("in", 60));
    assert.equal(r.client.stats().outgoing.inFlight, 0, "every client message acknowledged");
    assert.equal(r.agent.stats().outgoing.inFlight, 0, "every agent message acknowledged");
    assert.ok(r.client.stats().incoming.duplicates > 0, "the wire really duplicated frames");
    assert.ok(
      r.client.stats().outgoing.resends > 0 && r.agent.stats().outgoing.resends > 0,
      "the wire really lost frames",
    );
  });

  it("property: any seed and fault mix keeps exactly-once in-order delivery both ways", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.record({
          drop: fc.double({ min: 0, max: 0.3, noNaN: true }),
          duplicate: fc.double({ min: 0, max: 0.3, noNaN: true }),
          jitterMs: fc.integer({ min: 0, max: 60 }),
        }),
        fc.boolean(),
        async (seed, faults, kms) => {
          const r = await exchange(seed, faults, 15, kms);
          assert.deepEqual(r.fromAgent, expected("out", 15));
          assert.deepEqual(r.fromClient, expected("in", 15));
        },
      ),
      { numRuns: 15 },
    );
  });
});
