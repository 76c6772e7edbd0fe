// Loss recovery on a fake clock: a lost message is resent on evidence (acks of later messages, §4.2 acks are
// per message), the timeout follows the measured round trip within its bounds, duplicates are acked and
// delivered once, reordered messages are delivered in order, and resends go ahead of new messages.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../src/clock.js";
import { decodeFrame, encodeFrame } from "../../src/codec/frame.js";
import { type DeliveryVerdict, IncomingStream } from "../../src/stream/incoming-stream.js";
import { OutgoingStream, type OutgoingStreamOptions } from "../../src/stream/outgoing-stream.js";
import { RttEstimator } from "../../src/stream/rtt-estimator.js";
import { scriptedClient } from "../support/scripted-roles.js";
import { decodedSent, output } from "../support/stream-frames.js";

function sender(overrides: Partial<OutgoingStreamOptions> = {}) {
  const clock = new ManualClock(1_000_000);
  const start = clock.now();
  const sent: string[] = [];
  const stream = new OutgoingStream({
    clock,
    messageType: "input_stream_data",
    transmit: (frame) => {
      const d = decodeFrame(frame);
      assert.ok(d.ok);
      sent.push(`${d.message.sequenceNumber}@${clock.now() - start}`);
    },
    framesPerSecond: Number.POSITIVE_INFINITY,
    ...overrides,
  });
  return { clock, sent, stream };
}

async function sendAll(stream: OutgoingStream, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await stream.send(1, Buffer.from(`m${i}`));
}

describe("loss recovery: the sender", () => {
  it("resends a lost message after three acks of later ones, long before any timeout", async () => {
    const { clock, sent, stream } = sender();
    await sendAll(stream, 5);
    clock.advance(10);
    stream.acknowledge(1);
    stream.acknowledge(2);
    assert.deepEqual(sent.slice(5), [], "two later acks may be reordering: nothing resent yet");
    stream.acknowledge(3);
    assert.deepEqual(sent.slice(5), ["0@10"], "the third is evidence: 0 goes out again at once");
    assert.equal(stream.stats().resendsOnEvidence, 1);
    stream.acknowledge(4);
    assert.deepEqual(sent.slice(5), ["0@10"], "declared once per send");
    stream.acknowledge(0);
    assert.equal(stream.stats().inFlight, 0);
    assert.equal(stream.stats().timeouts, 0, "no timeout was needed");
  });

  it("resends a lost resend again on evidence from messages sent after it", async () => {
    const { clock, sent, stream } = sender();
    await sendAll(stream, 4);
    clock.advance(10);
    for (const seq of [1, 2, 3]) stream.acknowledge(seq);
    assert.deepEqual(sent.slice(4), ["0@10"]);
    clock.advance(5);
    await sendAll(stream, 3); // 4, 5, 6 leave after the resend
    clock.advance(10);
    for (const seq of [4, 5]) stream.acknowledge(seq);
    assert.deepEqual(sent.slice(4), ["0@10", "4@15", "5@15", "6@15"]);
    stream.acknowledge(6);
    assert.deepEqual(sent.slice(8), ["0@25"]);
  });

  it("takes a duplicated ack once: no second round-trip sample, no evidence against earlier messages", async () => {
    const { clock, sent, stream } = sender();
    await sendAll(stream, 2);
    clock.advance(40);
    assert.equal(stream.acknowledge(1), true);
    const srtt = stream.rtt.srtt;
    assert.equal(stream.acknowledge(1), false);
    assert.equal(stream.acknowledge(1), false);
    assert.equal(stream.rtt.srtt, srtt);
    assert.deepEqual(sent, ["0@0", "1@0"], "three copies of one ack are one piece of evidence");
  });

  it("does not resend a message merely overtaken by two others", async () => {
    const { clock, sent, stream } = sender();
    await sendAll(stream, 3);
    clock.advance(5);
    stream.acknowledge(1);
    stream.acknowledge(2);
    stream.acknowledge(0);
    clock.advance(5000);
    assert.deepEqual(sent, ["0@0", "1@0", "2@0"]);
    assert.equal(clock.pendingTimers, 0);
  });

  it("times out after the RTO measured from round trips, not a 100 ms tick, doubling each time", async () => {
    const { clock, sent, stream } = sender();
    // 40 round trips of 1 ms: SRTT and RTTVAR fall far below 100 ms, so the RTO sits on its 100 ms floor.
    for (let i = 0; i < 40; i++) {
      await stream.send(1, Buffer.from("p"));
      clock.advance(1);
      stream.acknowledge(i);
    }
    assert.equal(stream.rtt.rto, 100);
    const at = sent.length;
    await stream.send(1, Buffer.from("lost"));
    clock.advance(400);
    // Sent at 40; resent at 40 + 100 = 140, then at 140 + 200 = 340.
    assert.deepEqual(sent.slice(at), ["40@40", "40@140", "40@340"]);
  });

  /** 40 round trips of 1 ms: the RTO comes down to its 100 ms floor. */
  async function warmed(stream: OutgoingStream, clock: ManualClock): Promise<number> {
    for (let i = 0; i < 40; i++) {
      await stream.send(1, Buffer.from("p"));
      clock.advance(1);
      stream.acknowledge(i);
    }
    assert.equal(stream.rtt.rto, 100);
    return 40;
  }

  for (const policy of ["head", "all-overdue"] as const) {
    it(`${policy}: a peer that holds every ack past the RTO costs one resend, not the messages in flight`, async () => {
      const { clock, sent, stream } = sender({ retransmitPolicy: policy });
      const first = await warmed(stream, clock);
      const at = sent.length;
      await sendAll(stream, 50);
      // The peer (or the gateway) stalls 250 ms, then acks all 50 in order, one each 4 ms (longer than the
      // doubled timeout of the oldest): none was lost.
      clock.advance(250);
      for (let i = 0; i < 50; i++) {
        stream.acknowledge(first + i);
        clock.advance(4);
      }
      clock.advance(2000);
      assert.deepEqual(
        sent.slice(at + 50),
        [`${first}@140`],
        "only the oldest went again, at its timeout; the acks that then flowed held back the rest",
      );
      assert.equal(stream.stats().inFlight, 0);
      if (policy === "all-overdue") assert.equal(stream.stats().spuriousTimeouts, 1);
    });
  }

  it("all-overdue: when only the probe's own ack comes back, the rest is resent one RTO after it", async () => {
    const { clock, sent, stream } = sender({ retransmitPolicy: "all-overdue" });
    const first = await warmed(stream, clock);
    const at = sent.length;
    await sendAll(stream, 4); // sent at 40; all four lost
    clock.advance(100);
    assert.deepEqual(sent.slice(at + 4), [`${first}@140`], "the probe: the oldest alone");
    clock.advance(10);
    stream.acknowledge(first); // the probe got through; the others did not
    clock.advance(99);
    assert.deepEqual(sent.slice(at + 5), [], "the others wait one RTO from that ack");
    clock.advance(1);
    assert.deepEqual(sent.slice(at + 5), [`${first + 1}@250`, `${first + 2}@250`, `${first + 3}@250`]);
    assert.equal(stream.stats().spuriousTimeouts, 0);
  });

  it("all-overdue: the re-acks of needless resends raise the timeout, so the next such pause resends nothing", async () => {
    const { clock, sent, stream } = sender({ retransmitPolicy: "all-overdue" });
    const first = await warmed(stream, clock);
    await sendAll(stream, 20); // 40..59, sent at 40
    // A 450 ms pause: the probe at 140, and at its doubled timeout (340) all 20 again, every one needless.
    clock.advance(450);
    const resent = sent.length - first - 20;
    assert.equal(resent, 21, "the probe and then all twenty");
    for (let i = 0; i < 20; i++) stream.acknowledge(first + i); // the first copies' acks
    for (let i = 0; i < 20; i++) stream.acknowledge(first + i); // the peer re-acks the duplicates
    assert.ok(stream.stats().spuriousTimeouts >= 1);
    assert.equal(stream.stats().rtoFloorMs, 200, "twice the 100 ms that fired");
    const at = sent.length;
    await sendAll(stream, 10);
    clock.advance(150); // a pause longer than the 100 ms estimate, shorter than the raised floor
    for (let i = 0; i < 10; i++) stream.acknowledge(first + 20 + i);
    clock.advance(20_000);
    assert.deepEqual(sent.slice(at + 10), [], "nothing resent");
    assert.equal(stream.stats().rtoFloorMs, 0, "the floor fades back to the estimate once pauses stop");
  });

  it("takes no round-trip sample from the ack of a resent message (Karn)", async () => {
    const { clock, sent, stream } = sender();
    await sendAll(stream, 1);
    clock.advance(200);
    assert.deepEqual(sent, ["0@0", "0@200"]);
    clock.advance(5);
    stream.acknowledge(0);
    assert.deepEqual([stream.rtt.srtt, stream.rtt.rto], [100, 200], "the §4.3 initial values still");
  });

  it("sends a resend ahead of new messages waiting for the pacer", async () => {
    const { clock, sent, stream } = sender({ framesPerSecond: 100, burstFrames: 4, maxQueued: 50 });
    await sendAll(stream, 10);
    assert.deepEqual(sent, ["0@0", "1@0", "2@0", "3@0"], "the burst");
    clock.advance(5);
    for (const seq of [1, 2, 3]) stream.acknowledge(seq);
    clock.advance(20);
    // One token per 10 ms: the first goes to the lost message, new ones follow.
    assert.deepEqual(sent.slice(4), ["0@10", "4@20"]);
  });
});

describe("loss recovery: the receiver", () => {
  function receiver() {
    const events: string[] = [];
    const stream = new IncomingStream({
      deliver: (m): DeliveryVerdict => {
        events.push(`deliver ${Buffer.from(m.payload).toString()}`);
        return "delivered";
      },
      acknowledge: (m) => events.push(`ack ${m.sequenceNumber}`),
    });
    return { events, stream };
  }
  const frame = (seq: number) => {
    const d = decodeFrame(output(seq, `d${seq}`));
    assert.ok(d.ok);
    return d.message;
  };

  it("acks messages past a gap at once, holds them, and delivers all in order once the gap is filled", () => {
    const { events, stream } = receiver();
    for (const seq of [1, 3, 2]) stream.receive(frame(seq));
    assert.deepEqual(events, ["ack 1", "ack 3", "ack 2"], "acked on arrival: the sender's evidence");
    stream.receive(frame(0));
    assert.deepEqual(events.slice(3), ["deliver d0", "ack 0", "deliver d1", "deliver d2", "deliver d3"]);
  });

  it("acks every copy of a duplicate once and delivers it once, before and after delivery", () => {
    const { events, stream } = receiver();
    stream.receive(frame(1));
    stream.receive(frame(1)); // held, not yet delivered
    stream.receive(frame(0));
    stream.receive(frame(0)); // already delivered
    assert.deepEqual(events, ["ack 1", "ack 1", "deliver d0", "ack 0", "deliver d1", "ack 0"]);
    assert.equal(stream.stats().duplicates, 2);
  });
});

describe("loss recovery: the client's channel against a scripted gateway", () => {
  it("resends its lost input with the same bytes once the gateway acks three later ones (§4.2 acks)", async () => {
    const { t, client } = scriptedClient({ tuning: { framesPerSecond: Number.POSITIVE_INFINITY } });
    t.inject(output(0, "$ "));
    await client.ready;
    for (const key of ["a", "b", "c", "d"]) await client.sendInput(Buffer.from(key));
    const inputs = () => decodedSent(t).filter((m) => m.messageType === "input_stream_data");
    assert.equal(inputs().length, 4);
    // Acks as §4.2 writes them, for the client's input 1, 2 and 3; its input 0 never reached the agent.
    for (const seq of [1, 2, 3]) {
      const id = inputs()[seq]!.messageId;
      const json = `{"AcknowledgedMessageType":"input_stream_data","AcknowledgedMessageId":"${id}","AcknowledgedMessageSequenceNumber":${seq},"IsSequentialMessage":true}`;
      t.inject(
        encodeFrame({
          messageType: "acknowledge",
          sequenceNumber: 0,
          flags: 3,
          payloadType: 0,
          payload: Buffer.from(json),
        }),
      );
    }
    const resent = inputs()[4];
    assert.ok(resent, "input 0 went out again without the clock moving");
    assert.equal(resent.sequenceNumber, 0);
    assert.equal(resent.messageId, inputs()[0]!.messageId, "a resend reuses the stored frame (§2.2)");
    assert.equal(Buffer.from(resent.payload).toString(), "a");
  });
});

describe("RTO bounds", () => {
  it("never goes below the 100 ms floor however short the round trips", () => {
    const rtt = new RttEstimator();
    for (let i = 0; i < 60; i++) rtt.addSample(0);
    assert.equal(rtt.rto, 100);
  });
});
