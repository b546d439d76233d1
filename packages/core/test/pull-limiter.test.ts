import { describe, expect, it } from 'vitest';
import { createPullLimiter } from '../src/lib/pull-limiter';

describe('pull limiter', () => {
  const clock = (start = Date.UTC(2026, 11, 6)) => {
    let t = start;
    return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
  };

  it('lets one pull per payment through per interval', () => {
    const c = clock();
    const limiter = createPullLimiter({ intervalMs: 30_000, now: c.now });
    expect(limiter.tryAcquire('pay_a')).toBe(true);
    expect(limiter.tryAcquire('pay_a')).toBe(false);
    expect(limiter.tryAcquire('pay_b')).toBe(true);
    c.advance(29_999);
    expect(limiter.tryAcquire('pay_a')).toBe(false);
    c.advance(1);
    expect(limiter.tryAcquire('pay_a')).toBe(true);
    expect(limiter.tryAcquire('pay_a')).toBe(false);
  });

  it('0 disables the limit; a clock that goes back does not lock a payment out', () => {
    const c = clock();
    const open = createPullLimiter({ intervalMs: 0, now: c.now });
    expect([open.tryAcquire('p'), open.tryAcquire('p')]).toEqual([true, true]);
    const limiter = createPullLimiter({ intervalMs: 30_000, now: c.now });
    expect(limiter.tryAcquire('p')).toBe(true);
    c.advance(-60_000);
    expect(limiter.tryAcquire('p')).toBe(true);
  });

  it('forgets the oldest payments beyond its size, so a flood of ids cannot grow it', () => {
    const c = clock();
    const limiter = createPullLimiter({ intervalMs: 30_000, now: c.now, maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) expect(limiter.tryAcquire(id)).toBe(true);
    // "a" was evicted (the table holds b, c, d): it may pull again; "d" may not.
    expect(limiter.tryAcquire('d')).toBe(false);
    expect(limiter.tryAcquire('a')).toBe(true);
  });
});
