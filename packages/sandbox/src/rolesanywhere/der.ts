// Just enough DER (X.690) to read a CRL: node:crypto parses certificates but not certificate revocation lists.
// Each element is its tag, its content and its whole encoding (the signed part of a CRL is one such encoding).

export interface DerElement {
  tag: number;
  content: Buffer;
  /** Tag, length and content: the exact bytes a signature covers. */
  encoded: Buffer;
}

export class DerError extends Error {
  override readonly name = "DerError";
}

function readLength(bytes: Buffer, at: number): { length: number; next: number } {
  const first = bytes[at];
  if (first === undefined) throw new DerError("truncated length");
  if (first < 0x80) return { length: first, next: at + 1 };
  const count = first & 0x7f;
  if (count === 0 || count > 4) throw new DerError("unsupported length form");
  let length = 0;
  for (let i = 0; i < count; i++) {
    const byte = bytes[at + 1 + i];
    if (byte === undefined) throw new DerError("truncated length");
    length = length * 256 + byte;
  }
  return { length, next: at + 1 + count };
}

/** The element starting at `at`, and where the next one starts. */
export function readElement(bytes: Buffer, at = 0): { element: DerElement; next: number } {
  const tag = bytes[at];
  if (tag === undefined) throw new DerError("truncated element");
  if ((tag & 0x1f) === 0x1f) throw new DerError("multi-byte tags are not used in CRLs");
  const { length, next } = readLength(bytes, at + 1);
  const end = next + length;
  if (end > bytes.length) throw new DerError("element runs past the end of its container");
  return {
    element: { tag, content: bytes.subarray(next, end), encoded: bytes.subarray(at, end) },
    next: end,
  };
}

/** The elements inside a constructed element (a SEQUENCE, a SET, an explicit tag). */
export function children(element: DerElement): DerElement[] {
  const out: DerElement[] = [];
  let at = 0;
  while (at < element.content.length) {
    const { element: child, next } = readElement(element.content, at);
    out.push(child);
    at = next;
  }
  return out;
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OID: 0x06,
  SEQUENCE: 0x30,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
} as const;
