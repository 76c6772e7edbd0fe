// Adaptive pacing on a fake clock: the client's rate starts at 900 frames/s, rises while frames wait and acks
// keep up, stops at 990/s, and backs off on the service's signals — pause_publication (§4.5: the client then
// holds its data frames until start_publication) and ack round trips that keep growing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../src/clock.js";
import { encodePublicationFrame } from "../../src/codec/control-payloads.js";
import { decodeFrame } from "../../src/codec/frame.js";
import { AdaptiveRate } from "../../src/stream/adaptive-rate.js";
import { OutgoingStream } from "../../src/stream/outgoing-stream.js";
import { scriptedClient } from "../support/scripted-roles.js";
import { decodedSent, output } from "../support/stream-frames.js";

/** `count` acks of `rttMs` round trips, `everyMs` apart, starting at `from`; returns the time after. */
function acks(
  rate: AdaptiveRate,
  from: number,
  count: number,
  everyMs: number,
  rttMs: number,
  backlogged = true,
) {
  let now = from;
  for (let i = 0; i < count; i++, now += everyMs) rate.onAck(rttMs, now, backlogged);
  return now;
}

describe("AdaptiveRate", () => {
  it("starts at 900/s, gains 200/s per second while frames wait, and stops at 990/s", () => {
    const rate = new AdaptiveRate();
    assert.equal(rate.framesPerSecond, 900);
    // The first ack only starts the clock; 19 more, 10 ms apart: 190 ms × 200/s = +38.
    acks(rate, 0, 20, 10, 5);
    assert.equal(Math.round(rate.framesPerSecond), 938);
    acks(rate, 200, 100, 10, 5);
    assert.equal(rate.framesPerSecond, 990);
  });

  it("does not rise while the producer, not the rate, is the limit", () => {
    const rate = new AdaptiveRate();
    acks(rate, 0, 100, 10, 5, false);
    assert.equal(rate.framesPerSecond, 900);
  });

  it("backs off by 30 % on a signal, once per episode", () => {
    const rate = new AdaptiveRate();
    assert.equal(rate.backOff(1000), true);
    assert.equal(rate.framesPerSecond, 630);
    assert.equal(rate.backOff(1100), false, "within the 250 ms cool-down: the same episode");
    assert.equal(rate.backOff(1300), true);
    assert.equal(rate.framesPerSecond, 441);
    assert.equal(rate.backOffs, 2);
  });

  it("backs off when acks stay 100 ms later than the fastest for half a second, not on a passing burst", () => {
    const rate = new AdaptiveRate();
    let now = acks(rate, 0, 50, 10, 5); // the fastest round trip: 5 ms
    const risen = rate.framesPerSecond;
    // A burst: 300 ms of 200 ms round trips, then fast again: no back-off.
    now = acks(rate, now, 30, 10, 200);
    now = acks(rate, now, 30, 10, 5);
    assert.equal(rate.backOffs, 0);
    assert.ok(rate.framesPerSecond >= risen);
    // A queue that does not drain: 200 ms round trips for longer than 500 ms.
    let signal: string | undefined;
    for (let i = 0; i < 80 && signal === undefined; i++, now += 10) signal = rate.onAck(200, now, true);
    assert.equal(signal, "ack latency");
    assert.equal(rate.backOffs, 1);
  });
});

describe("OutgoingStream with adaptive pacing", () => {
  it("paces at the adaptive rate and, on congestion, holds every frame, then goes on at the lower rate", async () => {
    const clock = new ManualClock(1_000_000);
    const start = clock.now();
    const sent: number[] = [];
    const stream = new OutgoingStream({
      clock,
      messageType: "input_stream_data",
      transmit: (frame) => {
        const d = decodeFrame(frame);
        assert.ok(d.ok);
        sent.push(clock.now() - start);
      },
      burstFrames: 2,
      maxQueued: 1000,
      adaptive: { initialFramesPerSecond: 500 },
    });
    for (let i = 0; i < 400; i++) void stream.send(1, Buffer.from("x"));
    clock.advance(100);
    assert.equal(sent.length, 52, "a burst of two, then one per 2 ms");
    assert.equal(stream.signalCongestion(1000), true);
    assert.equal(stream.stats().framesPerSecond, 350);
    clock.advance(900);
    assert.equal(sent.length, 52, "nothing while held");
    clock.advance(100);
    assert.equal(sent.filter((at) => at >= 1100).length, 0, "no burst saved up during the hold");
    clock.advance(100);
    assert.equal(sent.filter((at) => at > 1100 && at <= 1200).length, 35, "one per 2.86 ms: 350/s");
  });
});

describe("the client's channel and pause_publication", () => {
  it("holds its input on pause_publication, backs off, and sends on start_publication", async () => {
    const clock = new ManualClock();
    const { t, client, diagnostics } = scriptedClient({ clock });
    t.inject(output(0, "$ "));
    await client.ready;
    const inputs = () => decodedSent(t).filter((m) => m.messageType === "input_stream_data").length;
    await client.sendInput(Buffer.from("a"));
    assert.equal(inputs(), 1);
    t.inject(encodePublicationFrame("pause_publication"));
    assert.equal(client.stats().outgoing.framesPerSecond, 630, "900/s less 30 %");
    assert.equal(client.stats().outgoing.backOffs, 1);
    await client.sendInput(Buffer.from("b"));
    assert.equal(inputs(), 1, "held");
    assert.match(diagnostics.at(-1)?.reason ?? "", /pause_publication: holding, then 630 frames\/s/);
    t.inject(encodePublicationFrame("start_publication"));
    clock.advance(2); // the next token at 630/s
    assert.equal(inputs(), 2, "start_publication ends the hold");
  });

  it("ends a hold by itself when no start_publication comes", async () => {
    const clock = new ManualClock();
    const { t, client } = scriptedClient({ clock });
    t.inject(output(0, "$ "));
    await client.ready;
    t.inject(encodePublicationFrame("pause_publication"));
    await client.sendInput(Buffer.from("b"));
    const inputs = () => decodedSent(t).filter((m) => m.messageType === "input_stream_data").length;
    clock.advance(1000);
    assert.equal(inputs(), 0, "held for PACING.pauseHoldMs (1 s)");
    clock.advance(2); // then the next token at 630/s
    assert.equal(inputs(), 1);
  });

  it("fills each frame of a byte stream: bytes queued behind the pacer join the last short frame", async () => {
    const clock = new ManualClock();
    const { t, client } = scriptedClient({ clock, tuning: { framesPerSecond: 100, burstFrames: 1 } });
    t.inject(output(0, "$ "));
    await client.ready;
    const payloads = () =>
      decodedSent(t)
        .filter((m) => m.messageType === "input_stream_data")
        .map((m) => Buffer.from(m.payload).toString());
    await client.sendInput(Buffer.from("a"));
    await client.sendInput(Buffer.from("bc"));
    await client.sendInput(Buffer.from("d"));
    await client.sendInput(Buffer.from("x".repeat(1030)));
    clock.advance(100);
    // "a" left at once; the rest waited for tokens and went out as full 1024-byte frames, then the rest.
    assert.deepEqual(
      payloads().map((p) => p.length),
      [1, 1024, 9],
    );
    assert.equal(payloads().join(""), `abcd${"x".repeat(1030)}`);
  });

  it("keeps a fixed rate when told one (no adaptation, pause_publication only holds)", async () => {
    const { t, client } = scriptedClient({ tuning: { framesPerSecond: 900 } });
    t.inject(output(0, "$ "));
    await client.ready;
    t.inject(encodePublicationFrame("pause_publication"));
    assert.equal(client.stats().outgoing.framesPerSecond, 900);
    assert.equal(client.stats().outgoing.backOffs, 0);
  });
});
