// Two mux sessions back to back (no data channel): streams, half-close, refusal, per-stream credits,
// isolation of a slow reader, the fallback for peers without credits, protocol errors and keepalive.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../src/clock.js";
import { SmuxProtocolError } from "../../src/errors.js";
import { MuxSession, type MuxSessionOptions } from "../../src/mux/mux-session.js";
import type { MuxStream } from "../../src/mux/mux-stream.js";
import { collect, generatedBytes, sha256, writeAll } from "../support/port-harness.js";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
async function settleLong(rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i++) await tick();
}

type Extra = Partial<Omit<MuxSessionOptions, "role" | "send">>;

/** Client and server sessions whose send() delivers to the other side on the next turn. */
function pair(clientExtra: Extra = {}, serverExtra: Extra = {}) {
  const accepted: MuxStream[] = [];
  const wire = { toServer: 0, toClient: 0 };
  let server!: MuxSession;
  const client: MuxSession = new MuxSession({
    role: "client",
    send: async (bytes) => {
      wire.toServer += bytes.length;
      await tick();
      server.receive(bytes);
    },
    ...clientExtra,
  });
  server = new MuxSession({
    role: "server",
    send: async (bytes) => {
      wire.toClient += bytes.length;
      await tick();
      client.receive(bytes);
    },
    onStream: (s) => accepted.push(s),
    ...serverExtra,
  });
  return { client, server, accepted, wire };
}

describe("mux session", () => {
  it("opens odd stream ids from 3, carries data both ways, half-closes cleanly and forgets the ids", async () => {
    const { client, server, accepted } = pair();
    const a = client.openStream();
    const b = client.openStream();
    assert.deepEqual([a.id, b.id], [3, 5]);
    const fromServer = collect(a);
    a.end("ping");
    await settleLong();
    assert.equal(accepted.length, 2);
    const s = accepted[0]!;
    assert.equal(s.id, 3);
    const fromClient = collect(s);
    await settleLong();
    assert.equal(fromClient.bytes().toString(), "ping");
    assert.ok(fromClient.ended, "client's FIN ends the server stream's readable");
    // Half-close: the server can still answer after the client's FIN.
    s.end("pong");
    await settleLong();
    assert.equal(fromServer.bytes().toString(), "pong");
    assert.ok(fromServer.ended);
    assert.ok(a.destroyed && s.destroyed, "both halves done: streams closed");
    assert.deepEqual(
      client.streams().map((x) => x.id),
      [5],
    );
    assert.deepEqual(
      server.streams().map((x) => x.id),
      [5],
    );
  });

  it("a side that accepts no streams answers SYN with FIN", async () => {
    const { client, server } = pair();
    // The server role opens (ids 2, 4, …); the client has no onStream.
    const s = server.openStream();
    assert.equal(s.id, 2);
    const got = collect(s);
    await settleLong();
    assert.ok(got.ended, "refused stream ends");
    assert.equal(client.streams().length, 0);
  });

  it("credits: an unread stream holds at most its window; the writer waits; reading releases the rest intact", async () => {
    const window = 64 * 1024;
    const { client, accepted } = pair({ streamWindowBytes: window }, { streamWindowBytes: window });
    const a = client.openStream();
    const data = generatedBytes(1024 * 1024);
    const writing = writeAll(a, data);
    await settleLong(400);
    const s = accepted[0]!;
    assert.ok(s.creditMode && a.creditMode, "both sides announced credits");
    assert.ok(s.unreadBytes <= window, `unread ${s.unreadBytes} within window ${window}`);
    assert.ok(s.unreadBytes >= window / 2, "the window was actually used");
    assert.equal(a.sendAllowance, window - s.unreadBytes, "sender stopped at its allowance");
    const got = collect(s);
    for (let i = 0; i < 50 && !got.ended; i++) await settleLong();
    await writing;
    assert.equal(sha256(got.bytes()), sha256(data));
  });

  it("a slow reader on one stream does not slow the others", async () => {
    const { client, accepted } = pair({ streamWindowBytes: 32 * 1024 }, { streamWindowBytes: 32 * 1024 });
    const data = generatedBytes(512 * 1024);
    const streams = Array.from({ length: 4 }, () => client.openStream());
    for (const s of streams) void writeAll(s, data);
    await settleLong(20);
    const results = accepted.slice(1).map((s) => collect(s));
    for (let i = 0; i < 60 && !results.every((r) => r.ended); i++) await settleLong();
    assert.ok(
      results.every((r) => r.ended),
      "the three read streams finished",
    );
    for (const r of results) assert.equal(sha256(r.bytes()), sha256(data));
    const slow = accepted[0]!;
    assert.ok(slow.unreadBytes <= 32 * 1024, "the unread stream stayed within its window");
    assert.ok(!slow.readableEnded);
  });

  it("a peer without credits (like xtaci/smux) overfilling a stream raises receive pressure until it drains", async () => {
    const pressure: boolean[] = [];
    const { client, accepted } = pair(
      { credits: false },
      { streamHardLimitBytes: 128 * 1024, onReceivePressure: (p) => pressure.push(p) },
    );
    const a = client.openStream();
    assert.equal(a.creditMode, false);
    const data = generatedBytes(512 * 1024);
    void writeAll(a, data);
    await settleLong(400);
    const s = accepted[0]!;
    assert.equal(a.creditMode, false, "a side with credits off ignores announcements");
    assert.deepEqual(pressure, [true]);
    assert.ok(s.unreadBytes > 128 * 1024);
    const got = collect(s);
    for (let i = 0; i < 20 && !got.ended; i++) await settleLong();
    assert.deepEqual(pressure, [true, false]);
    assert.equal(sha256(got.bytes()), sha256(data));
  });

  it("a protocol error ends the session and errors its streams", async () => {
    let closedWith: Error | undefined;
    const session = new MuxSession({
      role: "client",
      send: async () => {},
      onClose: (e) => {
        closedWith = e;
      },
    });
    const s = session.openStream();
    const errors: Error[] = [];
    s.on("error", (e) => errors.push(e));
    session.receive(Buffer.from("0200000003000000", "hex"));
    await settleLong(5);
    assert.ok(closedWith instanceof SmuxProtocolError);
    assert.ok(session.closed && s.destroyed);
    assert.ok(errors[0] instanceof SmuxProtocolError);
    assert.throws(() => session.openStream(), SmuxProtocolError);
  });

  it("data for an unknown stream is dropped, as xtaci/smux does", async () => {
    const session = new MuxSession({ role: "client", send: async () => {} });
    session.receive(Buffer.from("0102020009000000aaaa", "hex"));
    assert.equal(session.stats().droppedFrames, 1);
    assert.equal(session.closed, false);
  });

  it("keepalive on: NOP sid 0 every interval; silence past the timeout closes the session", async () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    let closedWith: Error | undefined;
    const session = new MuxSession({
      role: "client",
      clock,
      credits: false,
      keepAliveIntervalMs: 10_000,
      keepAliveTimeoutMs: 30_000,
      send: async (bytes) => {
        sent.push(Buffer.from(bytes).toString("hex"));
      },
      onClose: (e) => {
        closedWith = e;
      },
    });
    clock.advance(10_000);
    await settleLong(5);
    assert.deepEqual(sent, ["0103000000000000"]);
    clock.advance(10_000);
    session.receive(Buffer.from("0103000000000000", "hex")); // the peer's NOP keeps it alive
    clock.advance(20_000);
    await settleLong(5);
    assert.equal(session.closed, false);
    clock.advance(20_000);
    assert.ok(session.closed);
    assert.match(String(closedWith?.message), /Nothing arrived/);
  });

  it("keepalive off (the default for current versions, §3.6): no NOPs and no timeout", async () => {
    const clock = new ManualClock();
    const sent: Uint8Array[] = [];
    const session = new MuxSession({ role: "client", clock, send: async (b) => void sent.push(b) });
    clock.advance(120_000);
    await settleLong(5);
    assert.equal(sent.length, 0);
    assert.equal(session.closed, false);
    assert.equal(clock.pendingTimers, 0);
  });
});
