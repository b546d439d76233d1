import { describe, expect, it } from 'vitest';
import { decodeWindows1252, encodeWindows1252 } from '../../src/paypal/windows-1252';

describe('windows-1252', () => {
  // Not compared with TextDecoder('windows-1252'): Node 20's decodes that label as Latin-1 (0x80 → U+0080).
  it('decodes 0x80–0x9F from the WHATWG index and the rest as Latin-1', () => {
    const high = Uint8Array.from({ length: 32 }, (_, index) => 0x80 + index);
    expect(decodeWindows1252(high)).toBe(
      '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
        '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178',
    );
    const rest = Uint8Array.from({ length: 224 }, (_, index) => (index < 128 ? index : index + 32));
    expect(decodeWindows1252(rest)).toBe(String.fromCharCode(...rest));
  });

  it('round-trips every byte through decode then encode', () => {
    const all = Uint8Array.from({ length: 256 }, (_, byte) => byte);
    expect([...encodeWindows1252(decodeWindows1252(all))]).toEqual([...all]);
  });

  it('encodes Latin-1 letters to single bytes and the 0x80–0x9F block from its table', () => {
    expect([...encodeWindows1252('Zoë Ærøskøbing')]).toEqual([
      0x5a, 0x6f, 0xeb, 0x20, 0xc6, 0x72, 0xf8, 0x73, 0x6b, 0xf8, 0x62, 0x69, 0x6e, 0x67,
    ]);
    expect([...encodeWindows1252('€‚ƒ„…Š‘’“”–—™šœžŸ')]).toEqual([
      0x80, 0x82, 0x83, 0x84, 0x85, 0x8a, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9a, 0x9c, 0x9e, 0x9f,
    ]);
  });

  it('writes "?" for characters windows-1252 cannot hold', () => {
    expect(decodeWindows1252(encodeWindows1252('Łódź 😀'))).toBe('?ód? ?');
  });
});
