import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Utf8Chunker, utf8SafeLength } from "../../src/agents/utf8-chunks.js";

const bytes = (...values: number[]) => values;
/** Chunks as plain number arrays (the chunker may hand Buffers or Uint8Arrays). */
const plain = (chunks: Uint8Array[]) => chunks.map((c) => [...c]);
const u8 = (values: number[]) => Uint8Array.from(values);

describe("UTF-8 safe frame cuts (§7.1)", () => {
  it("keeps a complete last character", () => {
    // "aé" = 61 c3 a9
    assert.equal(utf8SafeLength(u8(bytes(0x61, 0xc3, 0xa9)), 3), 3);
  });

  it("cuts before a character the limit would split", () => {
    // "a" + "€" (e2 82 ac): a limit of 3 would keep only e2 82 of the euro sign.
    assert.equal(utf8SafeLength(u8(bytes(0x61, 0xe2, 0x82, 0xac)), 3), 1);
    // "😀" (f0 9f 98 80) after "ab", limit 5 keeps f0 9f 98: cut at 2.
    assert.equal(utf8SafeLength(u8(bytes(0x61, 0x62, 0xf0, 0x9f, 0x98, 0x80)), 5), 2);
  });

  it("passes bytes that are not UTF-8 through", () => {
    assert.equal(utf8SafeLength(u8(bytes(0xff, 0xfe, 0x80)), 3), 3);
    assert.equal(utf8SafeLength(u8(bytes(0x80, 0x80, 0x80, 0x80)), 4), 4);
  });

  it("holds an incomplete trailing character for the next read and never exceeds the limit", () => {
    const chunker = new Utf8Chunker(4);
    // "abcd" + first byte of "é"
    assert.deepEqual(plain(chunker.push(u8(bytes(0x61, 0x62, 0x63, 0x64, 0xc3)))), [
      bytes(0x61, 0x62, 0x63, 0x64),
    ]);
    // the rest of "é", then "€" split over two reads
    assert.deepEqual(plain(chunker.push(u8(bytes(0xa9, 0xe2)))), [bytes(0xc3, 0xa9)]);
    assert.deepEqual(plain(chunker.push(u8(bytes(0x82, 0xac, 0x7a)))), [bytes(0xe2, 0x82, 0xac, 0x7a)]);
    assert.deepEqual([...chunker.flush()], []);
  });

  it("gives the held tail back at the end of the stream", () => {
    const chunker = new Utf8Chunker(1024);
    assert.deepEqual(plain(chunker.push(u8(bytes(0x41, 0xf0, 0x9f)))), [bytes(0x41)]);
    assert.deepEqual([...chunker.flush()], bytes(0xf0, 0x9f));
  });
});
