// The tests' own codec (spec-wire.ts) against the spec's worked examples, byte for byte: what the fidelity
// tests build and read is the protocol document's frame, not the sandbox's.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeWireFrame, encodeWireFrame, uuidFromWire, uuidToWire } from "./spec-wire.js";

/** ssm-protocol.md §2.5: input_stream_data, seq 1, Size {"cols":80,"rows":24}, 141 bytes. */
const SPEC_2_5 = `
  00 00 00 74 69 6e 70 75 74 5f 73 74 72 65 61 6d
  5f 64 61 74 61 20 20 20 20 20 20 20 20 20 20 20
  20 20 20 20 00 00 00 01 00 00 01 8b cf e5 68 00
  00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00
  a3 de 28 2f 47 8b a6 e6 81 2e f3 4f 87 bd 44 9e
  d5 3c a1 ea 7d ce 87 c1 14 32 05 2a 85 50 ed 26
  15 cf 71 5c a8 43 c8 97 10 ed 83 32 5b 69 1c ba
  00 00 00 03 00 00 00 15 7b 22 63 6f 6c 73 22 3a
  38 30 2c 22 72 6f 77 73 22 3a 32 34 7d`;
const specBytes = Buffer.from(SPEC_2_5.replace(/\s+/g, ""), "hex");

describe("the tests' spec codec", () => {
  it("writes §2.5's frame exactly", () => {
    const frame = encodeWireFrame({
      messageType: "input_stream_data",
      sequenceNumber: 1,
      flags: 0,
      payloadType: 3,
      payload: Buffer.from('{"cols":80,"rows":24}'),
      messageId: "812ef34f-87bd-449e-a3de-282f478ba6e6",
      createdDate: 1700000000000,
    });
    assert.equal(frame.length, 141);
    assert.equal(frame.toString("hex"), specBytes.toString("hex"));
  });

  it("reads §2.5's frame back field by field", () => {
    const frame = decodeWireFrame(specBytes);
    assert.equal(frame.headerLength, 116);
    assert.equal(frame.messageType, "input_stream_data");
    assert.equal(frame.schemaVersion, 1);
    assert.equal(frame.createdDate, 1700000000000n);
    assert.equal(frame.sequenceNumber, 1n);
    assert.equal(frame.flags, 0n);
    assert.equal(frame.messageId, "812ef34f-87bd-449e-a3de-282f478ba6e6");
    assert.equal(frame.payloadType, 3);
    assert.equal(frame.payloadLength, 21);
    assert.equal(frame.payload.toString(), '{"cols":80,"rows":24}');
  });

  it("swaps the UUID halves as §2.3's example shows", () => {
    const wire = uuidToWire("812ef34f-87bd-449e-a3de-282f478ba6e6");
    assert.equal(wire.toString("hex"), "a3de282f478ba6e6812ef34f87bd449e");
    assert.equal(uuidFromWire(wire), "812ef34f-87bd-449e-a3de-282f478ba6e6");
  });
});
