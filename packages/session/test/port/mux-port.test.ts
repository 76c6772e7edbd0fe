// Multiplexed port sessions end to end over a faulty in-memory gateway: both data channel roles, the mux
// adapters on each side, in-memory "sockets" for the local connections and the destinations.

import assert from "node:assert/strict";
import type { Duplex } from "node:stream";
import { describe, it } from "node:test";
import { FlagValue } from "../../src/constants.js";
import { memoryDuplexPair } from "../../src/testing/memory-duplex-pair.js";
import { collect, generatedBytes, portHarness, sha256, writeAll } from "../support/port-harness.js";

const LOSSY = { drop: 0.05, duplicate: 0.05, jitterMs: 20 };

/** A destination that sends `data` and then closes its side. */
function serving(data: Uint8Array): () => Promise<Duplex> {
  return async () => {
    const [service, agentSide] = memoryDuplexPair();
    service.resume();
    void writeAll(service, data);
    return agentSide;
  };
}

describe("mux port session", () => {
  it("8 MiB download through a 5% drop, duplicating, reordering wire arrives intact", async () => {
    const data = generatedBytes(8 * 1024 * 1024);
    const h = portHarness({ faults: LOSSY, seed: 42, dial: serving(data) });
    const [app, local] = memoryDuplexPair();
    const done = h.session.connect(local);
    const got = collect(app);
    assert.ok(await h.runUntil(() => got.ended));
    assert.equal(h.agentMode(), "mux");
    assert.equal(h.session.muxSession()?.role, "client", "the client picked mux too");
    assert.equal(sha256(got.bytes()), sha256(data));
    const stats = h.relay.stats();
    assert.ok(stats.toClient.dropped > 100 && stats.toClient.duplicated > 100, "the wire was really lossy");
    assert.ok(h.agent.stats().outgoing.resends > 0);
    app.end();
    assert.ok(await h.runUntil(() => local.destroyed, 10_000));
    await done;
  });

  it("4 MiB upload (client → destination) through the lossy wire arrives intact", async () => {
    const data = generatedBytes(4 * 1024 * 1024, "up");
    let received: ReturnType<typeof collect> | undefined;
    const h = portHarness({
      faults: LOSSY,
      seed: 7,
      dial: async () => {
        const [service, agentSide] = memoryDuplexPair();
        received = collect(service);
        return agentSide;
      },
    });
    const [app, local] = memoryDuplexPair();
    app.resume();
    void h.session.connect(local);
    void writeAll(app, data);
    assert.ok(await h.runUntil(() => received?.ended === true));
    assert.equal(sha256(received!.bytes()), sha256(data));
  });

  it("16 concurrent streams: one read slowly, the others complete; the slow one stays bounded, then completes", async () => {
    const small = generatedBytes(192 * 1024, "small");
    const big = generatedBytes(2 * 1024 * 1024, "big");
    let dials = 0;
    const window = 64 * 1024;
    const h = portHarness({
      faults: { drop: 0.02, duplicate: 0.02, jitterMs: 10 },
      seed: 3,
      client: { mux: { streamWindowBytes: window } },
      serverMux: { streamWindowBytes: window },
      dial: async () => serving(dials++ === 0 ? big : small)(),
    });
    const apps: ReturnType<typeof collect>[] = [];
    const slowApp = memoryDuplexPair();
    void h.session.connect(slowApp[1]);
    assert.ok(await h.runUntil(() => dials === 1, 10_000));
    for (let i = 0; i < 15; i++) {
      const [app, local] = memoryDuplexPair();
      void h.session.connect(local);
      apps.push(collect(app));
    }
    // The slow reader takes 1 KiB every 100 ms of simulated time.
    let slowBytes = 0;
    const slowChunks: Buffer[] = [];
    let lastRead = h.clock.now();
    const readSlowly = () => {
      if (h.clock.now() - lastRead < 100) return;
      lastRead = h.clock.now();
      const chunk = slowApp[0].read(1024) as Buffer | null;
      if (chunk !== null) {
        slowBytes += chunk.length;
        slowChunks.push(chunk);
      }
    };
    const othersDone = await h.runUntil(() => {
      readSlowly();
      return apps.every((a) => a.ended);
    });
    assert.ok(othersDone, "the fifteen fast streams finished");
    for (const a of apps) assert.equal(sha256(a.bytes()), sha256(small));
    assert.ok(slowBytes < big.length / 4, `slow stream still far from done (${slowBytes} bytes read)`);
    // Bounded: the client holds at most the window for the slow stream; the agent holds the rest back.
    const slowClient = h.session
      .muxSession()!
      .streams()
      .find((s) => s.id === 3)!;
    assert.ok(slowClient.unreadBytes <= window, `client holds ${slowClient.unreadBytes} unread bytes`);
    const slowServer = h
      .muxServer()!
      .session.streams()
      .find((s) => s.id === 3)!;
    assert.ok(slowServer.creditMode);
    assert.ok(slowServer.sendAllowance < 16 * 1024, "the agent is out of credit for the slow stream");
    assert.ok(slowServer.writableLength > 0, "the agent's destination reader is held back");
    assert.equal(h.session.channel.stats().incoming.bufferedFrames, 0, "the data channel never stalled");
    // Then read at full speed: it completes intact.
    slowApp[0].on("data", (c: Buffer) => slowChunks.push(c));
    let slowEnded = false;
    slowApp[0].on("end", () => {
      slowEnded = true;
    });
    assert.ok(await h.runUntil(() => slowEnded));
    assert.equal(sha256(Buffer.concat(slowChunks)), sha256(big));
  });

  it("the agent cannot reach the destination: ConnectToPortError reaches the client and the stream closes", async () => {
    let connectErrors = 0;
    const h = portHarness({
      client: { onConnectError: () => connectErrors++ },
      dial: async () => {
        throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      },
    });
    const [app, local] = memoryDuplexPair();
    const got = collect(app);
    const done = h.session.connect(local);
    assert.ok(await h.runUntil(() => connectErrors === 1 && got.ended, 10_000));
    assert.equal(got.bytes().length, 0);
    // The local application sees EOF and hangs up; the connection is then fully gone.
    app.end();
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    assert.ok(await h.runUntil(() => finished, 10_000));
    assert.equal(h.muxServer()?.session.streams().length, 0);
  });

  it("Ctrl-C: terminate() sends TerminateSession (agent > 2.3.722.0) and closes", async () => {
    const h = portHarness({ dial: serving(generatedBytes(1024)) });
    assert.ok(await h.runUntil(() => h.agentMode() !== undefined, 10_000));
    const terminating = h.session.terminate(2000);
    await h.runUntil(() => h.agentFlags.length > 0, 5000);
    assert.deepEqual(h.agentFlags, [FlagValue.TerminateSession]);
    assert.ok(await h.runUntil(() => h.relay.clientEnd?.closed === true, 5000));
    assert.equal(await terminating, true);
  });
});
