import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { CompiledStatements } from './compiled-statements';
import type { SqlEngine } from './engine';
import { postgresEngine } from './postgres-engine';
import { createSqlStore } from './sql-store';
import { sqliteEngine } from './sqlite-engine';
import { capture, makePayment, makeTransition, note } from './testing/fixtures';
import { databaseUrl, describePostgres, dropSchema, uniqueSchema } from './testing/postgres';

/** Every hot statement of a notification, twice: the second time each must be a cache hit. */
async function notificationRound(engine: SqlEngine) {
  const store = createSqlStore('test', engine);
  for (let round = 0; round < 2; round++) {
    const payment = makePayment({ externalId: `EXT-${round}-${Math.random()}` });
    await store.createPayment(payment, makeTransition(payment));
    const message = await store.appendMessage({
      direction: 'inbound',
      backend: 'payu',
      kind: 'notification',
      method: 'POST',
      url: 'https://shop.example/pay/notify/payu',
      headers: { 'content-type': 'application/json' },
      body: '{"order":{}}',
      bodyEncoding: 'utf8',
      verdict: 'unverified',
    });
    expect(await store.getPayment(payment.id)).toMatchObject({ id: payment.id, version: 1 });
    expect(await store.findPaymentByExternalId('dummy', payment.externalId as string)).toMatchObject({
      id: payment.id,
    });
    const paid = await store.applyChange({
      paymentId: payment.id,
      eventIds: [`payu:${payment.id}:COMPLETED`],
      compute: (current) => capture(current, `payu:${payment.id}:COMPLETED`),
    });
    expect(paid).toMatchObject({ outcome: 'applied', payment: { status: 'paid', version: 2 } });
    const noted = await store.applyChange({
      paymentId: payment.id,
      eventIds: ['a', 'b'].map((suffix) => `payu:${payment.id}:${suffix}`),
      compute: (current) => note(current, 'two-events'),
    });
    expect(noted.outcome).toBe('applied');
    const duplicate = await store.applyChange({
      paymentId: payment.id,
      eventIds: [`payu:${payment.id}:COMPLETED`],
      compute: (current) => capture(current, 'again'),
    });
    expect(duplicate).toMatchObject({ outcome: 'duplicate', payment: { version: 3 } });
    await store.updateMessage(message.id, {
      verdict: 'verified',
      outcome: 'applied',
      paymentId: payment.id,
      detail: null,
      responseStatus: 200,
      responseBody: '',
      durationMs: 3,
    });
    expect((await store.listPayments({ orderId: payment.orderId })).items.map((p) => p.id)).toContain(
      payment.id,
    );
    const firstPage = await store.listPayments({ limit: 1 });
    expect(firstPage.nextCursor === null).toBe(round === 0);
    if (firstPage.nextCursor) await store.listPayments({ limit: 1, cursor: firstPage.nextCursor });
    const transitions = await store.listTransitions(payment.id);
    await store.markTransitionsEmitted(transitions.map((t) => t.id));
    expect(
      (
        await store.claimUnemittedTransitions(100, {
          now: new Date(Date.now() + 60_000).toISOString(),
          leaseMs: 1,
        })
      ).length,
    ).toBe(0);
    const [logged] = (await store.listMessages({ paymentId: payment.id })).items;
    expect(logged).toMatchObject({ id: message.id, verdict: 'verified', responseStatus: 200, durationMs: 3 });
  }
  return store;
}

/** A SQLite engine in memory with table `t` (`ddl` its columns), closed after `body`. */
async function withTableT(columns: string, body: (engine: SqlEngine) => Promise<void>): Promise<void> {
  const engine = sqliteEngine({ filename: ':memory:', busyTimeoutMs: 1000 });
  try {
    await sql.raw(`create table t (${columns})`).execute(engine.db);
    await body(engine);
  } finally {
    await engine.close();
  }
}

const rowsOfT = async (engine: SqlEngine) =>
  (await sql<{ id: string; n: number }>`select id, n from t order by id`.execute(engine.db)).rows;

describe('CompiledStatements', () => {
  it('caches every hot statement of SQLite: none mismatched, the second round all hits', async () => {
    const engine = sqliteEngine({ filename: ':memory:', busyTimeoutMs: 1000 });
    const store = await notificationRound(engine);
    expect(engine.statements.stats.mismatched).toBe(0);
    // insert-message, select-payment, find-by-external-id, claim-events ×2 shapes, update-payment,
    // insert-transitions, update-message, mark-emitted.
    expect(engine.statements.stats.compiled).toBeGreaterThanOrEqual(8);
    expect(engine.statements.stats.hits).toBeGreaterThanOrEqual(engine.statements.stats.compiled);
    await store.close();
  });

  it('never caches a shape whose derived parameters differ from the compiled ones', () =>
    withTableT('id text, n integer', async (engine) => {
      const statements = new CompiledStatements();
      const insert = (id: string, n: number, derived: unknown[]) =>
        statements.execute(engine.db, 'insert-t', derived, () =>
          engine.db.insertInto('t' as never).values({ id, n } as never),
        );
      // Wrongly derived (order swapped): the compiled query runs, and the text is not kept.
      await insert('a', 1, [1, 'a']);
      await insert('b', 2, [2, 'b']);
      expect(statements.stats).toEqual({ hits: 0, compiled: 1, mismatched: 1, direct: 0 });
      expect(await rowsOfT(engine)).toEqual([
        { id: 'a', n: 1 },
        { id: 'b', n: 2 },
      ]);
    }));

  it('compiles a call with an undefined value afresh, as Kysely would (the column is left out)', () =>
    withTableT('id text, n integer default 7', async (engine) => {
      const statements = new CompiledStatements();
      const insert = (id: string, n: number | undefined) =>
        statements.execute(engine.db, 'insert-t', [id, n], () =>
          engine.db.insertInto('t' as never).values({ id, n } as never),
        );
      await insert('a', 1);
      await insert('b', undefined);
      await insert('c', 3);
      expect(statements.stats).toEqual({ hits: 1, compiled: 1, mismatched: 0, direct: 0 });
      expect(await rowsOfT(engine)).toEqual([
        { id: 'a', n: 1 },
        { id: 'b', n: 7 },
        { id: 'c', n: 3 },
      ]);
    }));

  it('runs known SQLite statements on the connection, and never reads what a write has not committed', async () => {
    const engine = sqliteEngine({ filename: ':memory:', busyTimeoutMs: 1000 });
    try {
      await sql`create table t (id text primary key)`.execute(engine.db);
      const { statements } = engine;
      const insert = (db: typeof engine.db, id: string) =>
        statements.execute(db, 'insert-t', [id], () => db.insertInto('t' as never).values({ id } as never));
      const read = (id: string) =>
        statements.execute(engine.db, 'select-t', [id], () =>
          engine.db
            .selectFrom('t' as never)
            .selectAll()
            .where('id' as never, '=', id as never),
        );
      await engine.write((db) => insert(db, 'first'));
      expect((await read('first')).rows).toHaveLength(1);
      // Both texts are known now: the next write and read run directly.
      const before = statements.stats.direct;
      await engine.write((db) => insert(db, 'second'));
      expect((await read('second')).rows).toHaveLength(1);
      expect(statements.stats.direct).toBe(before + 2);

      // A batch that stays open: a read meanwhile waits for the commit instead of seeing 'third' early.
      let finish = () => {};
      const held = new Promise<void>((resolve) => {
        finish = resolve;
      });
      let inserted = () => {};
      const insertedOnce = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      const writing = engine.writeTransaction(async (trx) => {
        await insert(trx, 'third');
        inserted();
        await held;
        throw new Error('rolled back after all');
      });
      await insertedOnce;
      const reading = read('third');
      finish();
      await expect(writing).rejects.toThrow('rolled back after all');
      expect((await reading).rows).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});

describePostgres('CompiledStatements on PostgreSQL', () => {
  const schema = uniqueSchema('compiled');
  afterAll(() => dropSchema(schema));

  it('caches every hot statement: none mismatched, the second round all hits', async () => {
    const engine = postgresEngine({ connectionString: databaseUrl as string, schema });
    const store = await notificationRound(engine);
    expect(engine.statements.stats.mismatched).toBe(0);
    expect(engine.statements.stats.hits).toBeGreaterThanOrEqual(engine.statements.stats.compiled);
    await store.close();
  });
});
