import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type GroupCommitConnection,
  type GroupCommitStatement,
  groupCommit,
} from '../src/lib/speedups/group-commit';
import { sqliteEngine } from '../src/lib/sqlite-engine';

/** A connection that records the transaction control it is asked for, and can be made to fail. */
function recorder(fail: Partial<Record<GroupCommitStatement, Error>> = {}) {
  const log: string[] = [];
  let open = false;
  const connection: GroupCommitConnection<string[]> & { endTransaction(): void } = {
    hold: (body) => body(log),
    control: (statement) => {
      log.push(statement);
      const error = fail[statement];
      if (error) {
        if (statement === 'commit') open = false;
        throw error;
      }
      if (statement === 'begin') open = true;
      if (statement === 'commit' || statement === 'rollback') open = false;
    },
    inTransaction: () => open,
    endTransaction: () => {
      open = false;
    },
  };
  return { log, connection };
}

describe('groupCommit', () => {
  it('writes the transactions queued in one turn of the event loop under one commit', async () => {
    const { log, connection } = recorder();
    const run = groupCommit(connection);
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        run(async (trace) => {
          trace.push(`body ${n}`);
          return n * 10;
        }),
      ),
    );
    expect(results).toEqual([10, 20, 30]);
    expect(log).toEqual([
      'begin',
      ...['body 1', 'body 2', 'body 3'].flatMap((body) => ['savepoint', body, 'release']),
      'commit',
    ]);
  });

  it('answers a transaction only after the commit that made it durable', async () => {
    const { log, connection } = recorder();
    const run = groupCommit(connection);
    const seen: string[] = [];
    await Promise.all([
      run(async () => 'first').then(() => seen.push(`first answered after ${log.at(-1)}`)),
      run(async () => 'second').then(() => seen.push(`second answered after ${log.at(-1)}`)),
    ]);
    expect(seen).toEqual(['first answered after commit', 'second answered after commit']);
  });

  it('rolls a failing transaction back to its own savepoint and commits the others', async () => {
    const { log, connection } = recorder();
    const run = groupCommit(connection);
    const failure = new Error('compute failed');
    const outcomes = await Promise.allSettled([
      run(async () => 'a'),
      run(async () => {
        throw failure;
      }),
      run(async () => 'c'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBe(failure);
    expect(log).toEqual([
      'begin',
      'savepoint',
      'release',
      'savepoint',
      'rollback-to',
      'release',
      'savepoint',
      'release',
      'commit',
    ]);
  });

  it('runs a single-statement write without a savepoint; its failure leaves the batch going', async () => {
    const { log, connection } = recorder();
    const run = groupCommit(connection);
    const refused = new Error('SQLITE_CONSTRAINT_UNIQUE');
    const outcomes = await Promise.allSettled([
      run(async (trace) => trace.push('one statement'), { single: true }),
      run(
        async () => {
          throw refused;
        },
        { single: true },
      ),
      run(async (trace) => trace.push('transaction')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['begin', 'one statement', 'savepoint', 'transaction', 'release', 'commit']);
  });

  it('fails every transaction of a batch whose commit fails', async () => {
    const diskFull = new Error('SQLITE_FULL');
    const { connection } = recorder({ commit: diskFull });
    const run = groupCommit(connection);
    const outcomes = await Promise.allSettled([run(async () => 1), run(async () => 2)]);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: diskFull },
      { status: 'rejected', reason: diskFull },
    ]);
  });

  it('fails the whole batch when an error ended the transaction, and runs the rest in a new one', async () => {
    const { log, connection } = recorder();
    const run = groupCommit(connection, { maxBatch: 2 });
    const ioError = new Error('SQLITE_IOERR');
    const outcomes = await Promise.allSettled([
      run(async () => 'written, then lost'),
      run(async () => {
        connection.endTransaction();
        throw ioError;
      }),
      run(async () => 'next batch'),
    ]);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: ioError },
      { status: 'rejected', reason: ioError },
      { status: 'fulfilled', value: 'next batch' },
    ]);
    expect(log.filter((s) => s === 'begin' || s === 'commit')).toEqual(['begin', 'begin', 'commit']);
  });

  it('answers every waiting transaction when no transaction can begin', async () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const { connection } = recorder({ begin: busy });
    const run = groupCommit(connection);
    const outcomes = await Promise.allSettled([run(async () => 1), run(async () => 2)]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? o.reason : o.value))).toEqual([busy, busy]);
  });

  it('bounds a batch at maxBatch transactions', async () => {
    const { log, connection } = recorder();
    const run = groupCommit(connection, { maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => run(async () => n)));
    expect(log.filter((s) => s === 'commit')).toHaveLength(3);
  });
});

describe('group commit on a SQLite file', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('keeps the writes of the transactions that succeeded and none of the one that failed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'paybridge-group-'));
    folders.push(folder);
    const engine = sqliteEngine({ filename: join(folder, 'group.db'), busyTimeoutMs: 1000 });
    try {
      await sql`create table t (id text primary key)`.execute(engine.db);
      const insert = (id: string) => (trx: typeof engine.db) =>
        sql`insert into t (id) values (${id})`.execute(trx);
      const outcomes = await Promise.allSettled([
        engine.writeTransaction(insert('kept-1')),
        engine.writeTransaction(async (trx) => {
          await insert('rolled-back')(trx);
          throw new Error('changed its mind');
        }),
        // A constraint violation inside a batch is that transaction's alone.
        engine.writeTransaction(async (trx) => {
          await insert('kept-2')(trx);
          await insert('kept-1')(trx);
        }),
        engine.write(insert('kept-3')),
        // A single statement refused by a constraint is undone alone, by SQLite.
        engine.write(insert('kept-3')),
        engine.write(insert('kept-4')),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'rejected',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const rows = await sql<{ id: string }>`select id from t order by id`.execute(engine.db);
      expect(rows.rows.map((r) => r.id)).toEqual(['kept-1', 'kept-3', 'kept-4']);
    } finally {
      await engine.close();
    }
  });
});
