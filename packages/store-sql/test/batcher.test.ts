import { describe, expect, it } from 'vitest';
import { batcher } from '../src/lib/speedups/batcher';

describe('batcher', () => {
  it('runs the calls of one turn as one batch and answers each caller in order', async () => {
    const batches: number[][] = [];
    const double = batcher<number, number>({
      runBatch: async (items) => {
        batches.push([...items]);
        return items.map((n) => n * 2);
      },
      runOne: async (n) => {
        batches.push([n]);
        return n * 2;
      },
    });
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(await double(4)).toBe(8);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('runs each item alone when its batch fails, so one bad item fails alone', async () => {
    const alone: number[] = [];
    const checked = batcher<number, number>({
      runBatch: async (items) => {
        if (items.includes(13)) throw new Error('the statement was refused');
        return [...items];
      },
      runOne: async (n) => {
        alone.push(n);
        if (n === 13) throw new Error('13 refused');
        return n;
      },
    });
    const outcomes = await Promise.allSettled([12, 13, 14].map(checked));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      12,
      '13 refused',
      14,
    ]);
    expect(alone.sort()).toEqual([12, 13, 14]);
  });

  it('never runs a batch again when it answered for the wrong number of items', async () => {
    let runs = 0;
    const wrong = batcher<number, number>({
      runBatch: async () => {
        runs++;
        return [1];
      },
      runOne: async () => {
        runs++;
        return 1;
      },
    });
    const outcomes = await Promise.allSettled([1, 2].map(wrong));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toBe(1);
  });

  it('splits a turn into batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    const sized = batcher<number, number>({
      runBatch: async (items) => {
        sizes.push(items.length);
        return [...items];
      },
      runOne: async (n) => {
        sizes.push(1);
        return n;
      },
      maxBatch: 4,
    });
    await Promise.all(Array.from({ length: 10 }, (_, n) => sized(n)));
    expect(sizes).toEqual([4, 4, 2]);
  });
});

describe('batcher keys', () => {
  it('never puts one key twice in a batch: a repeat waits for the batch before it', async () => {
    const log: string[] = [];
    const write = batcher<{ key: string; n: number }, number>({
      runBatch: async (items) => {
        log.push(`batch ${items.map((i) => `${i.key}${i.n}`).join(' ')}`);
        return items.map((i) => i.n);
      },
      runOne: async (item) => {
        log.push(`one ${item.key}${item.n}`);
        return item.n;
      },
      key: (item) => item.key,
    });
    const answers = await Promise.all(
      [
        { key: 'a', n: 1 },
        { key: 'b', n: 2 },
        { key: 'a', n: 3 },
        { key: 'c', n: 4 },
        { key: 'a', n: 5 },
      ].map(write),
    );
    expect(answers).toEqual([1, 2, 3, 4, 5]);
    expect(log).toEqual(['batch a1 b2 c4', 'one a3', 'one a5']);
  });
});
