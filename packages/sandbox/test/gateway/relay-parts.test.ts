import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { messageTypeOf } from "../../src/gateway/frame-peek.js";
import { FrameRateLimit } from "../../src/gateway/frame-rate-limit.js";
import { createMemoryLink } from "../../src/gateway/memory-link.js";
import { sessionIdOfPath } from "../../src/gateway/upgrade-request.js";

/** The worked frame of ssm-protocol.md §2.5, byte for byte. */
const WORKED_FRAME = Buffer.from(
  [
    "00 00 00 74 69 6e 70 75 74 5f 73 74 72 65 61 6d",
    "5f 64 61 74 61 20 20 20 20 20 20 20 20 20 20 20",
    "20 20 20 20 00 00 00 01 00 00 01 8b cf e5 68 00",
    "00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00",
    "a3 de 28 2f 47 8b a6 e6 81 2e f3 4f 87 bd 44 9e",
    "d5 3c a1 ea 7d ce 87 c1 14 32 05 2a 85 50 ed 26",
    "15 cf 71 5c a8 43 c8 97 10 ed 83 32 5b 69 1c ba",
    "00 00 00 03 00 00 00 15 7b 22 63 6f 6c 73 22 3a",
    "38 30 2c 22 72 6f 77 73 22 3a 32 34 7d",
  ]
    .join(" ")
    .split(" ")
    .map((h) => Number.parseInt(h, 16)),
);

describe("gateway relay parts", () => {
  it("reads the MessageType of the §2.5 frame, and of NUL-padded ones", () => {
    assert.equal(WORKED_FRAME.length, 141);
    assert.equal(messageTypeOf(WORKED_FRAME), "input_stream_data");
    const nulPadded = Buffer.from(WORKED_FRAME);
    nulPadded.fill(0, 4, 36);
    nulPadded.write("acknowledge", 36 - "acknowledge".length, "latin1"); // left-padded with NULs
    assert.equal(messageTypeOf(nulPadded), "acknowledge");
    assert.equal(messageTypeOf(WORKED_FRAME.subarray(0, 20)), "");
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
