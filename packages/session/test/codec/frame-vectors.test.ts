import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeFrame, encodeFrame } from "../../src/codec/frame.js";
import { uuidFromWire, uuidToWire } from "../../src/codec/uuid.js";

/** ssm-protocol.md §2.5, copied byte for byte from the spec's hex dump. */
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

describe("§2.5 worked frame (client → agent terminal size, seq 1)", () => {
  it("is 141 bytes as the spec says", () => {
    assert.equal(WORKED_FRAME.length, 141);
  });

  it("encodes to exactly the spec's bytes", () => {
    const frame = encodeFrame({
      messageType: "input_stream_data",
      sequenceNumber: 1,
      flags: 0,
      payloadType: 3,
      payload: Buffer.from('{"cols":80,"rows":24}'),
      messageId: "812ef34f-87bd-449e-a3de-282f478ba6e6",
      createdDate: 1700000000000,
    });
    assert.deepEqual(Buffer.from(frame), WORKED_FRAME);
  });

  it("decodes to the spec's fields", () => {
    const decoded = decodeFrame(WORKED_FRAME);
    assert.equal(decoded.ok, true);
    if (!decoded.ok) return;
    const m = decoded.message;
    assert.equal(m.messageType, "input_stream_data");
    assert.equal(m.schemaVersion, 1);
    assert.equal(m.createdDate, 1700000000000);
    assert.equal(m.sequenceNumber, 1);
    assert.equal(m.flags, 0);
    assert.equal(m.messageId, "812ef34f-87bd-449e-a3de-282f478ba6e6");
    assert.equal(
      Buffer.from(m.payloadDigest).toString("hex"),
      "d53ca1ea7dce87c11432052a8550ed2615cf715ca843c89710ed83325b691cba",
    );
    assert.equal(m.payloadType, 3);
    assert.equal(m.payloadLength, 21);
    assert.equal(Buffer.from(m.payload).toString(), '{"cols":80,"rows":24}');
    assert.deepEqual(decoded.warnings, []);
  });
});

describe("§2.3 UUID half swap", () => {
  const wire = Buffer.from("a3de282f478ba6e6812ef34f87bd449e", "hex");
  it("writes U[8..15] then U[0..7]", () => {
    assert.deepEqual(Buffer.from(uuidToWire("812ef34f-87bd-449e-a3de-282f478ba6e6")), wire);
  });
  it("reads the wire order back to the canonical lower-case form", () => {
    assert.equal(uuidFromWire(wire), "812ef34f-87bd-449e-a3de-282f478ba6e6");
  });
  it("accepts upper-case input and emits lower-case", () => {
    assert.equal(
      uuidFromWire(uuidToWire("812EF34F-87BD-449E-A3DE-282F478BA6E6")),
      "812ef34f-87bd-449e-a3de-282f478ba6e6",
    );
  });
  it("refuses a non-UUID", () => {
    assert.throws(() => uuidToWire("812ef34f87bd449ea3de282f478ba6e6"), TypeError);
  });
});
