// Cuts a byte stream into frames of at most N bytes at UTF-8 character boundaries, as the agent does (§7.1):
// an incomplete trailing character waits for the next read; bytes that are not UTF-8 pass through as they are.

/**
 * Length of the longest prefix of `bytes[0..limit)` that does not end inside a multi-byte character: `limit`
 * when the last character is complete (or the bytes are not UTF-8), else the offset of its lead byte (may be 0).
 */
export function utf8SafeLength(bytes: Uint8Array, limit: number): number {
  const end = Math.min(bytes.length, limit);
  let lead = end - 1;
  let continuations = 0;
  while (lead >= 0 && continuations < 3 && ((bytes[lead] ?? 0) & 0xc0) === 0x80) {
    lead--;
    continuations++;
  }
  if (lead < 0) return end;
  const first = bytes[lead] ?? 0;
  let size: number;
  if (first >= 0xc0 && first < 0xe0) size = 2;
  else if (first >= 0xe0 && first < 0xf0) size = 3;
  else if (first >= 0xf0 && first < 0xf8) size = 4;
  else return end; // ASCII, or not a lead byte: nothing to wait for
  return end - lead >= size ? end : lead;
}

/** Keeps the incomplete tail of each read for the next one and yields ≤ limit-byte chunks. */
export class Utf8Chunker {
  #pending: Uint8Array = new Uint8Array(0);
  constructor(readonly limit: number) {}

  /** Chunks of `bytes` (after what was held back) that end on character boundaries. */
  push(bytes: Uint8Array): Uint8Array[] {
    let data = this.#pending.length === 0 ? bytes : Buffer.concat([this.#pending, bytes]);
    const out: Uint8Array[] = [];
    while (data.length > this.limit) {
      const safe = utf8SafeLength(data, this.limit);
      const cut = safe > 0 ? safe : this.limit;
      out.push(data.subarray(0, cut));
      data = data.subarray(cut);
    }
    const cut = utf8SafeLength(data, data.length);
    if (cut > 0) out.push(data.subarray(0, cut));
    this.#pending = Uint8Array.from(data.subarray(cut));
    return out;
  }

  /** Whatever is held back (at the end of the stream). */
  flush(): Uint8Array {
    const rest = this.#pending;
    this.#pending = new Uint8Array(0);
    return rest;
  }
}
