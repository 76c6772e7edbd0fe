import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { decodeFrame } from "../../src/codec/frame.js";

/**
 * A frame assembled field by field in the test (not by encodeFrame), so each check of §2.4 can be broken alone.
 */
function handFrame(o: {
  hl?: number;
  type?: Buffer;
  created?: bigint;
  seq?: bigint;
  flags?: bigint;
  digest?: Buffer;
  payloadType?: number;
  payloadLength?: number;
  payload?: Buffer;
}): Buffer {
  const payload = o.payload ?? Buffer.from("hello");
  const head = Buffer.alloc(120);
  head.writeUInt32BE(o.hl ?? 116, 0);
  const type = o.type ?? Buffer.from("output_stream_data".padEnd(32, " "));
  type.copy(head, 4, 0, 32);
  head.writeUInt32BE(1, 36);
  head.writeBigUInt64BE(o.created ?? 1700000000000n, 40);
  head.writeBigInt64BE(o.seq ?? 0n, 48);
  head.writeBigUInt64BE(o.flags ?? 1n, 56);
  Buffer.from("00112233445566778899aabbccddeeff", "hex").copy(head, 64);
  (o.digest ?? createHash("sha256").update(payload).digest()).copy(head, 80);
  head.writeUInt32BE(o.payloadType ?? 1, 112);
  head.writeUInt32BE(o.payloadLength ?? payload.length, 116);
  return Buffer.concat([head, payload]);
}

describe("decodeFrame validation on receipt (§2.4)", () => {
  it("accepts a well-formed hand-built frame", () => {
    const r = decodeFrame(handFrame({}));
    assert.equal(r.ok, true);
    if (r.ok) {
      assert.equal(r.message.messageType, "output_stream_data");
      assert.equal(r.message.messageId, "8899aabb-ccdd-eeff-0011-223344556677");
      assert.equal(Buffer.from(r.message.payload).toString(), "hello");
    }
  });

  it("drops HL = 0", () => {
    assert.deepEqual(decodeFrame(handFrame({ hl: 0 })), {
      ok: false,
      reason: "HeaderLength is 0",
      messageType: "output_stream_data",
    });
  });

  it("drops an empty MessageType (all spaces or all NULs)", () => {
    assert.equal(decodeFrame(handFrame({ type: Buffer.alloc(32, 0x20) })).ok, false);
    assert.equal(decodeFrame(handFrame({ type: Buffer.alloc(32, 0) })).ok, false);
  });

  it("reads a left-NUL-padded MessageType like the official readers", () => {
    const type = Buffer.concat([Buffer.alloc(14, 0), Buffer.from("output_stream_data")]);
    const r = decodeFrame(handFrame({ type }));
    assert.equal(r.ok && r.message.messageType, "output_stream_data");
  });

  it("drops CreatedDate = 0", () => {
    const r = decodeFrame(handFrame({ created: 0n }));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : "", /CreatedDate/);
  });

  it("drops a wrong digest under the enforce policy, and only warns under warn", () => {
    const bad = handFrame({ digest: Buffer.alloc(32, 7) });
    const enforced = decodeFrame(bad);
    assert.equal(enforced.ok, false);
    const warned = decodeFrame(bad, { digestPolicy: () => "warn" });
    assert.equal(warned.ok, true);
    assert.deepEqual(warned.ok && warned.warnings, ["PayloadDigest does not match the payload"]);
    const skipped = decodeFrame(bad, { digestPolicy: () => "skip" });
    assert.deepEqual(skipped.ok && skipped.warnings, []);
  });

  it("does not check the digest when PayloadLength is 0", () => {
    const r = decodeFrame(handFrame({ digest: Buffer.alloc(32, 7), payloadLength: 0 }));
    assert.equal(r.ok, true);
    assert.equal(r.ok && Buffer.from(r.message.payload).toString(), "hello");
  });

  it("skips every check for start_publication and pause_publication", () => {
    for (const name of ["start_publication", "pause_publication"]) {
      const r = decodeFrame(
        handFrame({
          type: Buffer.from(name.padEnd(32, " ")),
          hl: 0,
          created: 0n,
          digest: Buffer.alloc(32),
          payloadLength: 0x15000000,
        }),
      );
      assert.equal(r.ok, true, name);
    }
  });

  it("takes the payload from HL + 4 to the end, not by PayloadLength", () => {
    const r = decodeFrame(
      handFrame({ payloadLength: 2, digest: createHash("sha256").update("hello").digest() }),
    );
    assert.equal(r.ok && Buffer.from(r.message.payload).toString(), "hello");
    assert.match(r.ok ? (r.warnings[0] ?? "") : "", /PayloadLength 2 differs/);
  });

  it("drops a frame shorter than the header, and an HL that points outside the frame", () => {
    assert.equal(decodeFrame(new Uint8Array(119)).ok, false);
    assert.equal(decodeFrame(handFrame({ hl: 400 })).ok, false);
    assert.equal(decodeFrame(handFrame({ hl: 8 })).ok, false);
  });

  it("drops frames over the size limit before parsing", () => {
    const r = decodeFrame(handFrame({ payload: Buffer.alloc(2000) }), { maxFrameBytes: 1024 });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : "", /exceeds/);
  });

  it("drops sequence numbers outside the safe integer range", () => {
    assert.equal(decodeFrame(handFrame({ seq: 1n << 60n })).ok, false);
  });
});
