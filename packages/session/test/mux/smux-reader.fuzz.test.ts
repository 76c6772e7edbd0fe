// The smux parser under arbitrary input: it either yields frames or throws SmuxProtocolError, never anything
// else, and never holds more than one header plus one PSH body.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { SmuxProtocolError } from "../../src/errors.js";
import { encodeSmuxFrame, SMUX, SmuxCommand } from "../../src/mux/smux-frame.js";
import { SmuxFrameReader } from "../../src/mux/smux-reader.js";

const MAX_HELD = SMUX.headerBytes + SMUX.maxLength;

describe("smux parser fuzz", () => {
  it("arbitrary bytes in arbitrary chunks: frames or SmuxProtocolError, bounded memory", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 40 }), (chunks) => {
        let total = 0;
        const reader = new SmuxFrameReader((f) => {
          assert.ok(f.data.length <= SMUX.maxLength);
          total += SMUX.headerBytes + f.data.length;
        });
        try {
          for (const c of chunks) {
            reader.push(c);
            assert.ok(reader.bufferedBytes <= MAX_HELD);
          }
        } catch (error) {
          assert.ok(error instanceof SmuxProtocolError, String(error));
        }
        assert.ok(total <= chunks.reduce((n, c) => n + c.length, 0) + 8 * 1024);
      }),
      { numRuns: 2000 },
    );
  });

  it("valid-version headers with huge lengths hold at most one body", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ cmd: fc.integer({ min: 0, max: 3 }), len: fc.integer({ min: 0, max: 0xffff }) }),
          { maxLength: 20 },
        ),
        fc.uint8Array({ maxLength: 70_000 }),
        (headers, filler) => {
          const reader = new SmuxFrameReader(() => {});
          try {
            for (const h of headers) {
              const header = Buffer.from([1, h.cmd, h.len & 0xff, h.len >> 8, 3, 0, 0, 0]);
              reader.push(header);
              assert.ok(reader.bufferedBytes <= MAX_HELD);
              reader.push(filler.subarray(0, 1000));
              assert.ok(reader.bufferedBytes <= MAX_HELD);
            }
          } catch (error) {
            // Filler after a non-PSH header is read as the next header: a bad version is a clean refusal.
            assert.ok(error instanceof SmuxProtocolError, String(error));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("round trip: any valid frames, split anywhere, decode to themselves", () => {
    const frame = fc.oneof(
      fc.record({
        command: fc.constantFrom(SmuxCommand.Syn, SmuxCommand.Fin, SmuxCommand.Nop),
        streamId: fc.integer({ min: 0, max: 0xffffffff }),
        data: fc.constant(new Uint8Array(0)),
      }),
      fc.record({
        command: fc.constant(SmuxCommand.Push),
        streamId: fc.integer({ min: 0, max: 0xffffffff }),
        data: fc.uint8Array({ maxLength: 2000 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 30 }), fc.integer({ min: 1, max: 3000 }), (frames, split) => {
        const wire = Buffer.concat(frames.map((f) => encodeSmuxFrame(f.command, f.streamId, f.data)));
        const out: { command: number; streamId: number; data: string }[] = [];
        const reader = new SmuxFrameReader((f) =>
          out.push({ command: f.command, streamId: f.streamId, data: Buffer.from(f.data).toString("hex") }),
        );
        for (let i = 0; i < wire.length; i += split) reader.push(wire.subarray(i, i + split));
        assert.deepEqual(
          out,
          frames.map((f) => ({
            command: f.command,
            streamId: f.streamId,
            data: Buffer.from(f.data).toString("hex"),
          })),
        );
        assert.equal(reader.bufferedBytes, 0);
      }),
      { numRuns: 300 },
    );
  });
});
