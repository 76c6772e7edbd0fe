// smux v1 frames (§7.4), byte by byte: version 1, cmd, length uint16 LE, stream id uint32 LE, data (PSH only).
// Every expected byte string below is written by hand from the spec's table.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SmuxProtocolError } from "../../src/errors.js";
import { encodeSmuxFrame, encodeSmuxHeader, SmuxCommand, type SmuxFrame } from "../../src/mux/smux-frame.js";
import { SmuxFrameReader } from "../../src/mux/smux-reader.js";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const show = (b: Uint8Array) => Buffer.from(b).toString("hex");

function readAll(bytes: Uint8Array, split = bytes.length): SmuxFrame[] {
  const frames: SmuxFrame[] = [];
  const reader = new SmuxFrameReader((f) => frames.push(f));
  for (let i = 0; i < bytes.length; i += split) reader.push(bytes.subarray(i, i + split));
  return frames;
}

const VECTORS: {
  name: string;
  wire: string;
  command: number;
  streamId: number;
  length: number;
  data: string;
}[] = [
  // SYN for the client's first stream, id 3 (counter 1, +2 before use).
  { name: "SYN sid 3", wire: "01 00 0000 03000000", command: 0, streamId: 3, length: 0, data: "" },
  { name: "FIN sid 3", wire: "01 01 0000 03000000", command: 1, streamId: 3, length: 0, data: "" },
  // "hi" = 68 69 on stream 5: length 2 little-endian = 02 00.
  {
    name: "PSH sid 5 'hi'",
    wire: "01 02 0200 05000000 6869",
    command: 2,
    streamId: 5,
    length: 2,
    data: "6869",
  },
  // Keepalive NOP: stream id 0.
  { name: "NOP keepalive", wire: "01 03 0000 00000000", command: 3, streamId: 0, length: 0, data: "" },
  // Little-endian check on both fields: length 0x0003, stream id 0x01020304.
  {
    name: "PSH LE fields",
    wire: "01 02 0300 04030201 aabbcc",
    command: 2,
    streamId: 0x01020304,
    length: 3,
    data: "aabbcc",
  },
  // Largest stream id.
  { name: "FIN sid max", wire: "01 01 0000 ffffffff", command: 1, streamId: 0xffffffff, length: 0, data: "" },
  // tobira credit NOP: stream 7, 256 KiB window = length 256 = 0x0100 → 00 01. No data follows.
  { name: "credit NOP", wire: "01 03 0001 07000000", command: 3, streamId: 7, length: 256, data: "" },
  // tobira SYN announcing a 64 KiB window: length 64 = 40 00. No data follows.
  { name: "SYN with window", wire: "01 00 4000 09000000", command: 0, streamId: 9, length: 64, data: "" },
];

describe("smux v1 frame vectors", () => {
  for (const v of VECTORS) {
    it(`encodes ${v.name}`, () => {
      const encoded =
        v.command !== SmuxCommand.Push && v.length > 0
          ? encodeSmuxHeader(v.command as 0 | 3, v.length, v.streamId)
          : encodeSmuxFrame(v.command as 0 | 1 | 2 | 3, v.streamId, hex(v.data));
      assert.equal(show(encoded), show(hex(v.wire)));
    });
    it(`decodes ${v.name}, whole and one byte at a time`, () => {
      for (const split of [1, 3, 1024]) {
        const frames = readAll(hex(v.wire), split);
        assert.equal(frames.length, 1);
        const f = frames[0]!;
        assert.equal(f.command, v.command);
        assert.equal(f.streamId, v.streamId);
        assert.equal(f.length, v.length);
        assert.equal(show(f.data), v.data);
      }
    });
  }

  it("a run of frames split at every offset decodes to the same frames", () => {
    const wire = hex(VECTORS.map((v) => v.wire).join(""));
    for (let split = 1; split <= 12; split++) {
      const frames = readAll(wire, split);
      assert.deepEqual(
        frames.map((f) => [f.command, f.streamId, f.length, show(f.data)]),
        VECTORS.map((v) => [v.command, v.streamId, v.length, v.data]),
      );
    }
  });

  it("only PSH is followed by data: a NOP with length 5 is directly followed by the next header", () => {
    const frames = readAll(hex("01 03 0500 00000000  01 00 0000 09000000"));
    assert.deepEqual(
      frames.map((f) => [f.command, f.streamId, f.length]),
      [
        [3, 0, 5],
        [0, 9, 0],
      ],
    );
  });

  it("a PSH of length 0 is a frame without data", () => {
    const frames = readAll(hex("01 02 0000 03000000"));
    assert.equal(frames.length, 1);
    assert.equal(frames[0]!.data.length, 0);
  });

  it("rejects version 2 and keeps refusing afterwards", () => {
    const reader = new SmuxFrameReader(() => {});
    assert.throws(() => reader.push(hex("02 00 0000 03000000")), SmuxProtocolError);
    assert.throws(() => reader.push(hex("01 00 0000 03000000")), SmuxProtocolError);
  });

  it("rejects cmd 4 (UPD exists only in smux v2) and unknown commands", () => {
    for (const cmd of ["04", "05", "ff"]) {
      const reader = new SmuxFrameReader(() => {});
      assert.throws(() => reader.push(hex(`01 ${cmd} 0000 03000000`)), /unknown command/);
    }
  });

  it("refuses to encode data on non-PSH frames and out-of-range fields", () => {
    assert.throws(() => encodeSmuxFrame(SmuxCommand.Syn, 3, hex("00")), RangeError);
    assert.throws(() => encodeSmuxHeader(SmuxCommand.Push, 65536, 3), RangeError);
    assert.throws(() => encodeSmuxHeader(SmuxCommand.Push, 1, 2 ** 32), RangeError);
  });
});
