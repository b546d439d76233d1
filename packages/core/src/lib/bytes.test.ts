import { describe, expect, it } from 'vitest';
import { randomId } from './bytes';

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
