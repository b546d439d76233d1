import { describe, expect, it } from 'vitest';
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
