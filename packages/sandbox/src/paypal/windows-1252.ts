/**
 * windows-1252, written out by hand so the simulator does not share an encoder with the code it tests.
 * Bytes 0x00–0x7F and 0xA0–0xFF are Latin-1 (same code point); 0x80–0x9F hold the typographic
 * characters below. The five unassigned bytes map to the C1 control of the same value, as the WHATWG
 * Encoding Standard's index does, so decoding never fails and `TextDecoder('windows-1252')` agrees.
 */
const HIGH_TABLE: readonly number[] = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

const ENCODE_HIGH = new Map<number, number>(HIGH_TABLE.map((codePoint, index) => [codePoint, 0x80 + index]));

/** Byte PayPal writes for a character its account encoding cannot represent. */
const REPLACEMENT_BYTE = 0x3f; // '?'

export function encodeWindows1252(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? REPLACEMENT_BYTE;
    if (codePoint < 0x80 || (codePoint >= 0xa0 && codePoint <= 0xff)) bytes.push(codePoint);
    else bytes.push(ENCODE_HIGH.get(codePoint) ?? REPLACEMENT_BYTE);
  }
  return Uint8Array.from(bytes);
}

export function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    text += String.fromCodePoint(byte >= 0x80 && byte <= 0x9f ? (HIGH_TABLE[byte - 0x80] ?? byte) : byte);
  }
  return text;
}
