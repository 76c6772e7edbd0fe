import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../src/clock.js";
import { decodeFrame } from "../../src/codec/frame.js";
import type { RetransmissionExhaustedError } from "../../src/errors.js";
import { OutgoingStream, type OutgoingStreamOptions } from "../../src/stream/outgoing-stream.js";
import { settle } from "../support/memory-transport.js";

interface Sent {
  at: number;
  seq: number;
  flags: number;
  id: string;
  payload: string;
}

function harness(overrides: Partial<OutgoingStreamOptions> = {}) {
  const clock = new ManualClock(1_000_000);
  const start = clock.now();
  const sent: Sent[] = [];
  const stream = new OutgoingStream({
    clock,
    messageType: "output_stream_data",
    transmit: (frame) => {
      const d = decodeFrame(frame);
      assert.ok(d.ok);
      sent.push({
        at: clock.now() - start,
        seq: d.message.sequenceNumber,
        flags: d.message.flags,
        id: d.message.messageId,
        payload: Buffer.from(d.message.payload).toString(),
      });
    },
    framesPerSecond: Number.POSITIVE_INFINITY,
    ...overrides,
  });
  return { clock, sent, stream, elapsed: () => clock.now() - start };
}

const bytes = (s: string) => Buffer.from(s);

describe("OutgoingStream", () => {
  it("numbers messages from 0 and sets SYN only on the first when asked (agent)", async () => {
    const { sent, stream } = harness({ firstMessageFlags: 1 });
    await stream.send(1, bytes("a"));
    await stream.send(1, bytes("b"));
    await stream.send(3, bytes("c"));
    assert.deepEqual(
      sent.map((s) => [s.seq, s.flags, s.payload]),
      [
        [0, 1, "a"],
        [1, 0, "b"],
        [2, 0, "c"],
      ],
    );
    assert.equal(stream.stats().inFlight, 3);
  });

  it("resends an unacked message after the RTO, keeping its id, doubling the timeout each time", async () => {
    const { clock, sent, stream } = harness();
    await stream.send(1, bytes("x"));
    clock.advance(1500);
    // Initial RTO 200 ms (§4.3), a timer at the deadline (no 100 ms tick), the timeout doubled after each
    // expiry (RFC 6298 §5.5): resent at 200, 200 + 400 = 600, 600 + 800 = 1400.
    assert.deepEqual(
      sent.map((s) => s.at),
      [0, 200, 600, 1400],
    );
    assert.equal(new Set(sent.map((s) => s.id)).size, 1);
    assert.equal(stream.stats().resends, 3);
  });

  it("stops resending once acked and takes the RTT sample", async () => {
    const { clock, sent, stream } = harness();
    await stream.send(1, bytes("x"));
    clock.advance(40);
    assert.equal(stream.acknowledge(0), true);
    assert.equal(stream.rtt.rto, 152.5);
    clock.advance(2000);
    assert.equal(sent.length, 1);
    assert.equal(stream.acknowledge(0), false, "a second ack for the same message is ignored");
    assert.equal(clock.pendingTimers, 0, "no timer left once nothing is in flight");
  });

  it("resends only the head under the head policy; under all-overdue the head as a probe, then every overdue one", async () => {
    for (const [policy, expected] of [
      ["head", ["0@0", "1@0", "0@200", "0@600"]],
      // 0 alone at the first timeout (200); at its doubled timeout (200 + 400), no ack came: all that is due.
      ["all-overdue", ["0@0", "1@0", "0@200", "0@600", "1@600"]],
    ] as const) {
      const { clock, sent, stream } = harness({ retransmitPolicy: policy });
      await stream.send(1, bytes("a"));
      await stream.send(1, bytes("b"));
      clock.advance(700);
      assert.deepEqual(
        sent.map((s) => `${s.seq}@${s.at}`),
        expected,
        policy,
      );
    }
  });

  it("gives up after maxResends and reports it once", async () => {
    const errors: RetransmissionExhaustedError[] = [];
    const { clock, stream } = harness({ maxResends: 3, onExhausted: (e) => errors.push(e) });
    await stream.send(1, bytes("x"));
    clock.advance(5000);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? "", /did not acknowledge message 0 after 3 resends/);
    assert.ok(errors[0]?.hint);
  });

  it("pause_publication holds new and resent frames until start_publication", async () => {
    const { clock, sent, stream } = harness();
    await stream.send(1, bytes("a"));
    stream.pause();
    await stream.send(1, bytes("b"));
    clock.advance(1000);
    assert.deepEqual(
      sent.map((s) => `${s.payload}@${s.at}`),
      ["a@0"],
    );
    stream.resume();
    assert.deepEqual(
      sent.map((s) => `${s.payload}@${s.at}`),
      ["a@0", "b@1000"],
    );
  });

  it("paces frames to the ceiling with one timer, not a sleep per frame", async () => {
    const { clock, sent, stream } = harness({ framesPerSecond: 100, burstFrames: 5, maxQueued: 100 });
    for (let i = 0; i < 20; i++) await stream.send(1, bytes(String(i)));
    assert.equal(sent.length, 5, "the burst leaves at once");
    assert.equal(clock.pendingTimers <= 2, true);
    clock.advance(150);
    assert.equal(sent.length, 20);
    // After the burst, one frame per 10 ms.
    assert.deepEqual(
      sent.slice(5, 9).map((s) => s.at),
      [10, 20, 30, 40],
    );
  });

  it("applies back-pressure: the window and queue bound what is held, producers wait their turn", async () => {
    const { sent, stream } = harness({ window: 4, maxQueued: 2 });
    const accepted: number[] = [];
    const sends = Array.from({ length: 10 }, (_, i) =>
      stream.send(1, bytes(String(i))).then(() => accepted.push(i)),
    );
    await settle();
    assert.equal(sent.length, 4);
    assert.deepEqual(stream.stats(), { ...stream.stats(), inFlight: 4, queued: 2, blocked: 4 });
    assert.deepEqual(accepted, [0, 1, 2, 3, 4, 5]);
    stream.acknowledge(0);
    stream.acknowledge(1);
    await settle();
    assert.deepEqual(
      sent.map((s) => s.payload),
      ["0", "1", "2", "3", "4", "5"],
    );
    assert.deepEqual(accepted, [0, 1, 2, 3, 4, 5, 6, 7]);
    for (let seq = 2; seq < 10; seq++) stream.acknowledge(seq);
    await Promise.all(sends);
    await stream.drained();
    assert.equal(sent.length, 10);
  });

  it("does not advance the sequence when the socket write fails", async () => {
    let fail = true;
    const seqs: number[] = [];
    const clock = new ManualClock();
    const stream = new OutgoingStream({
      clock,
      messageType: "input_stream_data",
      framesPerSecond: Number.POSITIVE_INFINITY,
      transmit: (frame) => {
        if (fail) throw new Error("EPIPE");
        const d = decodeFrame(frame);
        if (d.ok) seqs.push(d.message.sequenceNumber);
      },
      onTransmitError: () => {},
    });
    await stream.send(1, bytes("a"));
    assert.equal(stream.stats().nextSequenceNumber, 0);
    fail = false;
    await stream.send(1, bytes("b"));
    assert.deepEqual(seqs, [0, 1]);
  });

  it("rejects sends after close and releases waiting producers", async () => {
    const { stream } = harness({ window: 1, maxQueued: 1 });
    await stream.send(1, bytes("a"));
    await stream.send(1, bytes("b"));
    const blocked = stream.send(1, bytes("c"));
    stream.close();
    await assert.rejects(blocked, { name: "ChannelClosedError" });
    await assert.rejects(stream.send(1, bytes("d")), { name: "ChannelClosedError" });
  });
});
