/**
 * Group commit for one SQLite connection. Every write transaction of a store is queued here; one
 * batch takes the queued ones in turn, each inside its own SAVEPOINT of a single BEGIN IMMEDIATE …
 * COMMIT. A transaction that fails rolls back to its savepoint alone (the others are untouched);
 * the rest are answered only once the COMMIT has succeeded, so no caller ever hears "done" for a
 * write that is not durable, and a failed COMMIT fails every transaction of its batch.
 *
 * Why: SQLite's cost per commit (the WAL frames of every page touched, and the checkpoints they
 * trigger) dominates small transactions; under concurrency, N transactions of one batch write the
 * shared pages (table tails, index pages) once instead of N times. Alone, a transaction is a batch
 * of one: the same statements as without grouping, plus a savepoint.
 *
 * A write of a single statement skips its savepoint: SQLite makes each statement atomic by itself
 * (a failing one is undone through the statement journal, the transaction stays open).
 *
 * The operations are synchronous (better-sqlite3); a transaction's own body is async (Kysely) and
 * runs while the connection is held, one at a time.
 */
export interface GroupCommitConnection<C> {
  /** Holds the connection (and any lock around it) while `body` runs. */
  hold<T>(body: (connection: C) => Promise<T>): Promise<T>;
  /** Runs one statement of transaction control: BEGIN IMMEDIATE, COMMIT, SAVEPOINT, … */
  control(statement: GroupCommitStatement): void;
  /** Whether the connection is still inside the batch's transaction (some errors end it). */
  inTransaction(): boolean;
}

export type GroupCommitStatement = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback-to';

interface Job<C> {
  body: (connection: C) => Promise<unknown>;
  /** The body runs exactly one statement: SQLite undoes a failed statement by itself, no savepoint needed. */
  single: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  /** Most transactions in one batch (bounds the wait of the first one; default 64). */
  maxBatch?: number;
}

/** Queues a write: a transaction (`body` may run several statements), or `single` one statement. */
export type GroupCommitWrite<C> = <T>(
  body: (connection: C) => Promise<T>,
  mode?: { single: boolean },
) => Promise<T>;

export function groupCommit<C>(
  connection: GroupCommitConnection<C>,
  options: GroupCommitOptions = {},
): GroupCommitWrite<C> {
  const maxBatch = Math.max(1, options.maxBatch ?? 64);
  const queue: Job<C>[] = [];

  async function batch(handle: C): Promise<void> {
    try {
      connection.control('begin');
    } catch (error) {
      // No transaction at all (SQLITE_BUSY past the busy timeout, …): every waiting caller hears it
      // and decides for itself (applyChange retries a transient failure).
      for (const job of queue.splice(0)) job.reject(error);
      return;
    }
    const done: Array<{ job: Job<C>; value: unknown }> = [];
    let broken: { error: unknown } | null = null;
    while (queue.length > 0 && done.length < maxBatch) {
      const job = queue.shift() as Job<C>;
      if (!job.single) {
        try {
          connection.control('savepoint');
        } catch (error) {
          job.reject(error);
          broken = { error };
          break;
        }
      }
      try {
        const value = await job.body(handle);
        if (!job.single) connection.control('release');
        done.push({ job, value });
      } catch (error) {
        job.reject(error);
        if (!connection.inTransaction()) {
          broken = { error };
          break;
        }
        // A failed statement was undone by SQLite itself (statement journal); the batch goes on.
        if (job.single) continue;
        try {
          connection.control('rollback-to');
          connection.control('release');
        } catch (controlError) {
          broken = { error: controlError };
          break;
        }
      }
    }
    if (!broken) {
      try {
        connection.control('commit');
      } catch (error) {
        broken = { error };
      }
    }
    if (broken) {
      // The transaction is gone, cannot be trusted, or did not commit: nothing of this batch is written.
      if (connection.inTransaction()) {
        try {
          connection.control('rollback');
        } catch {
          // Already ended by SQLite (SQLITE_FULL, SQLITE_IOERR, …): the original error is reported.
        }
      }
      for (const { job } of done) job.reject(broken.error);
      return;
    }
    for (const { job, value } of done) job.resolve(value);
  }

  /**
   * Batches start on the next turn of the event loop (setImmediate), not at once: by then every
   * request that arrived in this turn has queued its write, and they share one commit. A batch
   * resolves its callers' promises only after its COMMIT, and the next batch is scheduled the same
   * way, so a caller's next write joins the writes of every other caller resumed with it.
   */
  let scheduled = false;
  let running = false;
  const schedule = () => {
    if (scheduled || running) return;
    scheduled = true;
    setImmediate(run);
  };

  async function run(): Promise<void> {
    scheduled = false;
    running = true;
    try {
      await connection.hold(batch);
    } catch (error) {
      // The connection could not be had (the file cannot be opened, …): nothing ran.
      for (const job of queue.splice(0)) job.reject(error);
    } finally {
      running = false;
      if (queue.length > 0) schedule();
    }
  }

  return <T>(body: (connection: C) => Promise<T>, mode?: { single: boolean }): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({
        body,
        single: mode?.single ?? false,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      schedule();
    });
}
