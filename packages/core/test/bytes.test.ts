import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonBody, strictUtf8 } from '../src/kit';
import { randomId, sortableId, toHex, utf8 } from '../src/lib/bytes';
import { digest, hmac } from '../src/lib/hashes';

describe('randomId', () => {
  it('never repeats across many pages of pooled random bytes', () => {
    // 16 bytes each: 10,000 ids draw about 40 pages of 4 KiB.
    const ids = Array.from({ length: 10_000 }, () => randomId('msg'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^msg_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it('gives the entropy asked for, even beyond one page', () => {
    expect(randomId('k', 5)).toMatch(/^k_[0-9a-z]{8}$/);
    expect(randomId('big', 5000).length).toBe('big_'.length + Math.ceil((5000 * 8) / 5));
  });
});

describe('hmac', () => {
  const data = utf8('what do ya want for nothing?');
  // RFC 4231 test case 2 (key "Jefe").
  const jefe = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

  it('matches the RFC 4231 vector, the first time and from the imported key after', async () => {
    const key = utf8('Jefe');
    expect(toHex(await hmac('SHA-256', key, data))).toBe(jefe);
    expect(toHex(await hmac('SHA-256', key, data))).toBe(jefe);
    // Another algorithm with the same bytes is another key.
    expect(toHex(await hmac('SHA-1', key, data))).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  });

  it('follows the bytes when a caller reuses the same array for another key', async () => {
    const key = new Uint8Array(4);
    key.set(utf8('Jefx'));
    const other = toHex(await hmac('SHA-256', key, data));
    key.set(utf8('Jefe'));
    expect(toHex(await hmac('SHA-256', key, data))).toBe(jefe);
    expect(other).not.toBe(jefe);
  });
});

describe('sortableId', () => {
  it('sorts by creation time, then carries the entropy asked for', () => {
    const early = sortableId('msg', 16, Date.UTC(2026, 0, 1));
    const late = sortableId('msg', 16, Date.UTC(2026, 0, 1) + 1);
    expect(early < late).toBe(true);
    expect(early).toMatch(/^msg_[0-9a-hjkmnp-tv-z]{36}$/);
    expect(sortableId('trn', 12)).toMatch(/^trn_[0-9a-hjkmnp-tv-z]{30}$/);
    // The same millisecond: the random part keeps them apart.
    const same = Array.from({ length: 1000 }, () => sortableId('pay', 16, 1_800_000_000_000));
    expect(new Set(same).size).toBe(1000);
    expect(new Set(same.map((id) => id.slice(0, 14))).size).toBe(1);
  });

  it('keeps the order across decades (10 base-32 characters hold 2^50 ms)', () => {
    const times = [0, 1, 31, 32, 1_000_000_000_000, 1_800_000_000_000, 2 ** 50 - 1];
    const ids = times.map((t) => sortableId('x', 4, t).slice(2, 12));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toBe('0000000000');
  });
});

describe('digest', () => {
  it('matches the FIPS 180 "abc" vectors', async () => {
    const abc = utf8('abc');
    expect(toHex(await digest('SHA-1', abc))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(toHex(await digest('SHA-256', abc))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('strictUtf8 and parseJsonBody (the kit)', () => {
  const bytes = (...values: number[]) => Uint8Array.from(values);
  const BOM = [0xef, 0xbb, 0xbf];
  /** What each backend wrote before the kit had the helper: a fresh fatal decoder, then JSON.parse. */
  const decodedBefore = (body: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(body);
  const parsedBefore = (body: Uint8Array): unknown => {
    try {
      return JSON.parse(decodedBefore(body));
    } catch {
      return undefined;
    }
  };

  it('reads valid JSON of every kind, and tells JSON null from "not JSON"', () => {
    expect(parseJsonBody(utf8('{"order":{"orderId":"X1","total":1999}}'))).toEqual({
      order: { orderId: 'X1', total: 1999 },
    });
    expect(parseJsonBody(utf8('[1,"zł",true]'))).toEqual([1, 'zł', true]);
    expect(parseJsonBody(utf8(' 42 \n'))).toBe(42);
    expect(parseJsonBody(utf8('null'))).toBeNull();
  });

  it('answers undefined, without throwing, for an empty body and for text that is not JSON', () => {
    for (const text of ['', ' \r\n', '{"a":1', "{'a':1}", 'OK', '{"a":1}{}', 'undefined']) {
      expect(parseJsonBody(utf8(text)), JSON.stringify(text)).toBeUndefined();
    }
    expect(strictUtf8(new Uint8Array(0))).toBe('');
  });

  it('refuses malformed UTF-8 instead of reading U+FFFD where a byte was', () => {
    const malformed = [
      bytes(0x80), // a continuation byte alone
      bytes(0xc0, 0xaf), // an overlong '/'
      bytes(0xed, 0xa0, 0x80), // a UTF-16 surrogate
      bytes(0xe2, 0x82), // cut short at the end of the body
      bytes(0xff),
      bytes(0xf4, 0x90, 0x80, 0x80), // beyond U+10FFFF
    ];
    for (const sequence of malformed) {
      // Inside a JSON string, where a lenient decoder would have given valid JSON with U+FFFD.
      const body = new Uint8Array([...utf8('{"name":"'), ...sequence, ...utf8('"}')]);
      expect(() => strictUtf8(body)).toThrow(TypeError);
      expect(parseJsonBody(body)).toBeUndefined();
      expect(new TextDecoder().decode(body)).toContain('\uFFFD');
    }
  });

  it('drops one leading BOM as TextDecoder does by default, and keeps any other', () => {
    expect(strictUtf8(bytes(...BOM, ...utf8('{"a":1}')))).toBe('{"a":1}');
    expect(parseJsonBody(bytes(...BOM, ...utf8('{"a":1}')))).toEqual({ a: 1 });
    // A second BOM is text, and U+FEFF is not JSON whitespace.
    expect(strictUtf8(bytes(...BOM, ...BOM, 0x31))).toBe('\uFEFF1');
    expect(parseJsonBody(bytes(...BOM, ...BOM, 0x31))).toBeUndefined();
    // One inside a string stays there.
    expect(parseJsonBody(bytes(...utf8('"a'), ...BOM, ...utf8('"')))).toBe('a\uFEFF');
    // The same as a fresh decoder with today's options, BOM or not.
    for (const body of [bytes(...BOM), bytes(...BOM, 0x7b, 0x7d), bytes(0x7b, 0x7d, ...BOM)]) {
      expect(strictUtf8(body)).toBe(decodedBefore(body));
    }
  });

  it('keeps no state from one call to the next: after a failure, a cut-short body, a BOM', () => {
    expect(() => strictUtf8(bytes(0xe2, 0x82))).toThrow(TypeError);
    // The last byte of '€' (e2 82 ac) alone: the cut-short call before left nothing to complete.
    expect(() => strictUtf8(bytes(0xac))).toThrow(TypeError);
    expect(strictUtf8(bytes(...BOM, 0x31))).toBe('1');
    expect(strictUtf8(bytes(...BOM, 0x32))).toBe('2');
    expect(strictUtf8(utf8('€'))).toBe('€');
  });

  it('reads only the view it is given, not the whole buffer under it', () => {
    const buffer = utf8('xx{"a":1}\xff');
    expect(parseJsonBody(buffer.subarray(2, 9))).toEqual({ a: 1 });
  });

  it('agrees with a fresh fatal TextDecoder + JSON.parse on any bytes', () => {
    const jsonish = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.json().map((text) => utf8(text)),
      fc
        .tuple(fc.json(), fc.uint8Array({ maxLength: 4 }), fc.boolean())
        .map(([text, noise, bom]) => new Uint8Array([...(bom ? BOM : []), ...utf8(text), ...noise])),
    );
    fc.assert(
      fc.property(jsonish, (body) => {
        expect(parseJsonBody(body)).toStrictEqual(parsedBefore(body));
        let before: string | undefined;
        try {
          before = decodedBefore(body);
        } catch {
          expect(() => strictUtf8(body)).toThrow(TypeError);
          return;
        }
        expect(strictUtf8(body)).toBe(before);
      }),
      { numRuns: 500 },
    );
  });
});
