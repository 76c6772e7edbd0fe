import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClientMessage } from "../../src/codec/frame.js";
import { type DeliveryVerdict, IncomingStream } from "../../src/stream/incoming-stream.js";

function message(seq: number, payload = `m${seq}`, payloadType = 1): ClientMessage {
  const bytes = Buffer.from(payload);
  return {
    messageType: "output_stream_data",
    schemaVersion: 1,
    createdDate: 1,
    sequenceNumber: seq,
    flags: 0,
    messageId: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    payloadDigest: new Uint8Array(32),
    payloadType,
    payloadLength: bytes.length,
    payload: bytes,
  };
}

function harness(
  options: { maxBufferedFrames?: number; maxBufferedBytes?: number; ackFirst?: boolean } = {},
) {
  const events: string[] = [];
  let ready = true;
  const stream = new IncomingStream({
    deliver: (m): DeliveryVerdict => {
      if (!ready) {
        events.push(`not-ready ${m.sequenceNumber}`);
        return "not-ready";
      }
      events.push(`deliver ${m.sequenceNumber}`);
      return "delivered";
    },
    acknowledge: (m) => events.push(`ack ${m.sequenceNumber}`),
    onDrop: (_reason, m) => events.push(`drop ${m.sequenceNumber}`),
    ...(options.ackFirst ? { ackBeforeDelivery: () => true } : {}),
    ...options,
  });
  return {
    stream,
    events,
    setReady: (value: boolean) => {
      ready = value;
    },
  };
}

describe("IncomingStream (§4.4)", () => {
  it("delivers in order and acks each message after processing", () => {
    const { stream, events } = harness();
    stream.receive(message(0));
    stream.receive(message(1));
    assert.deepEqual(events, ["deliver 0", "ack 0", "deliver 1", "ack 1"]);
  });

  it("acks handshake-style messages before processing when asked", () => {
    const { stream, events } = harness({ ackFirst: true });
    stream.receive(message(0));
    assert.deepEqual(events, ["ack 0", "deliver 0"]);
  });

  it("buffers and acks a message from the future, then delivers it in order", () => {
    const { stream, events } = harness();
    stream.receive(message(2));
    stream.receive(message(1));
    assert.deepEqual(events, ["ack 2", "ack 1"]);
    stream.receive(message(0));
    assert.deepEqual(events.slice(2), ["deliver 0", "ack 0", "deliver 1", "deliver 2"]);
    assert.equal(stream.stats().expectedSequenceNumber, 3);
    assert.equal(stream.stats().bufferedFrames, 0);
    assert.equal(stream.stats().bufferedBytes, 0);
  });

  it("re-acks duplicates (delivered or buffered) without delivering them again", () => {
    const { stream, events } = harness();
    stream.receive(message(0));
    stream.receive(message(0));
    stream.receive(message(5));
    stream.receive(message(5));
    assert.deepEqual(events, ["deliver 0", "ack 0", "ack 0", "ack 5", "ack 5"]);
    assert.equal(stream.stats().duplicates, 2);
  });

  it("drops (without ack) what does not fit the buffer, by count and by bytes", () => {
    const byCount = harness({ maxBufferedFrames: 2 });
    for (const seq of [1, 2, 3]) byCount.stream.receive(message(seq));
    assert.deepEqual(byCount.events, ["ack 1", "ack 2", "drop 3"]);

    const byBytes = harness({ maxBufferedBytes: 10 });
    byBytes.stream.receive(message(1, "12345"));
    byBytes.stream.receive(message(2, "123456"));
    assert.deepEqual(byBytes.events, ["ack 1", "drop 2"]);
    assert.equal(byBytes.stream.stats().bufferedBytes, 5);
  });

  it("leaves a not-ready message unacked so the sender resends it, and drains later", () => {
    const { stream, events, setReady } = harness();
    setReady(false);
    stream.receive(message(0));
    stream.receive(message(1));
    assert.deepEqual(events, ["not-ready 0", "ack 1"]);
    assert.equal(stream.stats().expectedSequenceNumber, 0);
    setReady(true);
    stream.receive(message(0)); // the resend
    assert.deepEqual(events.slice(2), ["deliver 0", "ack 0", "deliver 1"]);
  });

  it("delivers buffered messages on retryBuffered once the consumer is ready", () => {
    const { stream, events, setReady } = harness();
    stream.receive(message(1));
    setReady(false);
    stream.receive(message(0));
    setReady(true);
    // seq 0 was not acked: it stays expected, nothing from the buffer is delivered ahead of it.
    stream.retryBuffered();
    assert.deepEqual(events, ["ack 1", "not-ready 0"]);
    stream.receive(message(0));
    assert.deepEqual(events.slice(2), ["deliver 0", "ack 0", "deliver 1"]);
  });

  it("queues a message that arrives while a delivery is running instead of nesting", () => {
    const order: string[] = [];
    const holder: { stream?: IncomingStream } = {};
    holder.stream = new IncomingStream({
      deliver: (m) => {
        order.push(`start ${m.sequenceNumber}`);
        if (m.sequenceNumber === 0) holder.stream?.receive(message(1));
        order.push(`end ${m.sequenceNumber}`);
        return "delivered";
      },
      acknowledge: () => {},
    });
    holder.stream.receive(message(0));
    assert.deepEqual(order, ["start 0", "end 0", "start 1", "end 1"]);
  });
});
