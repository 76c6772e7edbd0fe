// Base32 (RFC 4648 section 6) codec for virtual MFA seeds: decodes what authenticator apps accept, encodes canonically.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Thrown for text that is not base32. The message never repeats the text: it is usually a secret. */
export class Base32Error extends Error {
  override readonly name = "Base32Error";
}

// Lengths (without padding) that can end a base32 string: 8 characters carry 5 bytes, and a final partial
// group of 2, 4, 5 or 7 characters carries 1, 2, 3 or 4 bytes. 1, 3 or 6 leftover characters cannot occur.
const VALID_TAIL_LENGTHS = new Set([0, 2, 4, 5, 7]);

/**
 * Decodes base32 text. Letters may be lower case and the `=` padding may be left out (authenticator apps
 * show seeds both ways); any other character, misplaced padding or an impossible length is an error.
 */
export function base32Decode(text: string): Buffer {
  const upper = text.toUpperCase();
  const firstPad = upper.indexOf("=");
  const body = firstPad === -1 ? upper : upper.slice(0, firstPad);
  if (firstPad !== -1) {
    const padding = upper.slice(firstPad);
    if (!/^=+$/.test(padding)) throw new Base32Error("base32 padding (=) may only appear at the end");
    if (upper.length % 8 !== 0)
      throw new Base32Error("padded base32 must be a multiple of 8 characters long");
  }
  if (!VALID_TAIL_LENGTHS.has(body.length % 8)) {
    throw new Base32Error(
      `base32 text cannot be ${body.length} characters long (a character is missing or extra)`,
    );
  }
  const out = Buffer.alloc(Math.floor((body.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of body) {
    const digit = ALPHABET.indexOf(char);
    if (digit === -1) throw new Base32Error("base32 allows only the letters A-Z and the digits 2-7");
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (value >>> bits) & 0xff;
    }
  }
  return out;
}

/** Encodes bytes as upper-case base32 with `=` padding, as RFC 4648 writes it. */
export function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(value >>> bits) & 0x1f];
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 0x1f];
  while (out.length % 8 !== 0) out += "=";
  return out;
}
