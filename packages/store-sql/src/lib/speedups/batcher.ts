/**
 * Shares one database round trip between the callers of one turn of the event loop. Each call
 * queues an item; on the next turn (setImmediate) up to `maxBatch` queued items run as one batch,
 * and every caller gets its own answer. A batch that fails as a whole is run again item by item, so
 * one bad item (a value the database refuses) fails alone and its neighbours are not blamed.
 *
 * Batches run concurrently with each other (each on its own pooled connection); a batch must be
 * atomic (one statement) so that running its items again after a failure cannot do anything twice.
 */
export interface BatcherOptions<I, O> {
  /** Runs the items in one statement; answers in the same order. */
  runBatch(items: readonly I[]): Promise<O[]>;
  /** Runs one item alone (a batch of one, or after its batch failed). */
  runOne(item: I): Promise<O>;
  /** Most items in one statement (bounds its size and parameters; default 100). */
  maxBatch?: number;
  /**
   * Items with the same key never share a batch (one statement cannot update a row twice): a
   * repeated key goes to a later batch of the same turn, run after the earlier one has answered.
   */
  key?: (item: I) => string;
}

interface Queued<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export function batcher<I, O>(options: BatcherOptions<I, O>): (item: I) => Promise<O> {
  const maxBatch = Math.max(1, options.maxBatch ?? 100);
  let queue: Queued<I, O>[] = [];
  let scheduled = false;

  const settleOne = (queued: Queued<I, O>) => options.runOne(queued.item).then(queued.resolve, queued.reject);

  async function run(batch: Queued<I, O>[]): Promise<void> {
    if (batch.length === 1) return settleOne(batch[0] as Queued<I, O>);
    let answers: O[];
    try {
      answers = await options.runBatch(batch.map((queued) => queued.item));
    } catch {
      // The statement failed as a whole, so nothing of it was written: each item alone now.
      await Promise.all(batch.map(settleOne));
      return;
    }
    if (answers.length !== batch.length) {
      // Written, but answered wrongly: never run again, never guessed.
      const error = new Error(`a batch of ${batch.length} answered ${answers.length} items`);
      for (const queued of batch) queued.reject(error);
      return;
    }
    for (const [index, queued] of batch.entries()) queued.resolve(answers[index] as O);
  }

  /** The turn's items in waves: each key at most once per wave, in the order they came. */
  function waves(taken: Queued<I, O>[]): Queued<I, O>[][] {
    if (!options.key) return [taken];
    const out: Queued<I, O>[][] = [];
    const seen = new Map<string, number>();
    for (const queued of taken) {
      const key = options.key(queued.item);
      const wave = seen.get(key) ?? 0;
      seen.set(key, wave + 1);
      const members = out[wave] ?? [];
      members.push(queued);
      out[wave] = members;
    }
    return out;
  }

  async function runWave(wave: Queued<I, O>[]): Promise<void> {
    const batches: Promise<void>[] = [];
    for (let at = 0; at < wave.length; at += maxBatch) batches.push(run(wave.slice(at, at + maxBatch)));
    await Promise.all(batches);
  }

  function flush(): void {
    scheduled = false;
    const taken = queue;
    queue = [];
    void waves(taken).reduce((previous, wave) => previous.then(() => runWave(wave)), Promise.resolve());
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
