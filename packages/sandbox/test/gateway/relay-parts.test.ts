import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFrame, newMessageId } from "@tobira/session";
import { messageTypeOf } from "../../src/gateway/frame-peek.js";
import { FrameRateLimit } from "../../src/gateway/frame-rate-limit.js";
import { createMemoryLink } from "../../src/gateway/memory-link.js";
import { sessionIdOfPath } from "../../src/gateway/upgrade-request.js";

/** A client's keystrokes as the session codec frames them: what the gateway peeks at while relaying. */
const INPUT_FRAME = Buffer.from(
  encodeFrame({
    messageType: "input_stream_data",
    sequenceNumber: 7,
    flags: 0,
    payloadType: 1,
    payload: Buffer.from("ls\r"),
    messageId: newMessageId(),
    createdDate: Date.now(),
  }),
);

describe("gateway relay parts", () => {
  it("reads the MessageType of a space-padded frame from the codec, and of NUL-padded ones", () => {
    assert.equal(messageTypeOf(INPUT_FRAME), "input_stream_data");
    const nulPadded = Buffer.from(INPUT_FRAME);
    nulPadded.fill(0, 4, 36);
    nulPadded.write("acknowledge", 36 - "acknowledge".length, "latin1"); // left-padded with NULs
    assert.equal(messageTypeOf(nulPadded), "acknowledge");
    assert.equal(messageTypeOf(INPUT_FRAME.subarray(0, 20)), "");
  });

  it("takes session ids from data channel paths only", () => {
    assert.equal(sessionIdOfPath("/v1/data-channel/alice-session-abc"), "alice-session-abc");
    assert.equal(sessionIdOfPath("/v1/data-channel/a%40b"), "a@b");
    assert.equal(sessionIdOfPath("/v1/data-channel/"), undefined);
    assert.equal(sessionIdOfPath("/v1/data-channel/a/b"), undefined);
    assert.equal(sessionIdOfPath("/v1/control-channel/x"), undefined);
    assert.equal(sessionIdOfPath("/v1/data-channel/%E0%A4%A"), undefined);
  });

  it("lets a burst through, then one frame per 1/rate seconds", () => {
    let now = 0;
    const limit = new FrameRateLimit(10, 3, () => now);
    assert.deepEqual([limit.take(), limit.take(), limit.take(), limit.take()], [true, true, true, false]);
    assert.equal(limit.msUntil(1), 100);
    now = 100;
    assert.deepEqual([limit.take(), limit.take()], [true, false]);
    now = 10_000; // refills up to the burst only
    assert.deepEqual([limit.take(), limit.take(), limit.take(), limit.take()], [true, true, true, false]);
    const unlimited = new FrameRateLimit(Number.POSITIVE_INFINITY, 0, () => now);
    assert.equal(Array.from({ length: 5000 }, () => unlimited.take()).every(Boolean), true);
  });

  it("joins two transports back to back, in order, copying bytes, and closes both ends", () => {
    const link = createMemoryLink();
    const atAgent: (string | Uint8Array)[] = [];
    const atGateway: (string | Uint8Array)[] = [];
    const closes: string[] = [];
    link.agentEnd.onMessage((d) => atAgent.push(d));
    link.gatewayEnd.onMessage((d) => atGateway.push(d));
    link.agentEnd.onClose(() => closes.push("agent"));
    link.gatewayEnd.onClose((info) => closes.push(`gateway ${info.code}`));
    const sent = Uint8Array.from([1, 2, 3]);
    link.gatewayEnd.send(sent);
    link.gatewayEnd.send("text");
    sent[0] = 9;
    link.agentEnd.send(Uint8Array.from([4]));
    assert.deepEqual(atAgent, [Uint8Array.from([1, 2, 3]), "text"]);
    assert.deepEqual(atGateway, [Uint8Array.from([4])]);
    link.agentEnd.close(1000);
    link.gatewayEnd.send(Uint8Array.from([5]));
    assert.equal(atAgent.length, 2);
    assert.deepEqual(closes, ["gateway 1000", "agent"]);
  });
});
