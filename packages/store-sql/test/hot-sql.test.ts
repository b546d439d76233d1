import { sql } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SqlEngine } from '../src/lib/engine';
import { postgresEngine } from '../src/lib/postgres-engine';
import type { MessageRow } from '../src/lib/queries';
import { paymentToRow, transitionToRow } from '../src/lib/rows';
import { postgresSpeedups } from '../src/lib/speedups/postgres-speedups';
import { plain, type Speedups } from '../src/lib/speedups/speedups';
import { sqliteSpeedups } from '../src/lib/speedups/sqlite-speedups';
import { createSqlStore } from '../src/lib/sql-store';
import { sqliteEngine } from '../src/lib/sqlite-engine';
import { makePayment, makeTransition } from './support/fixtures';
import { databaseUrl, describePostgres, dropSchema, uniqueSchema } from './support/postgres';

const TABLES = [
  'paybridge_payments',
  'paybridge_transitions',
  'paybridge_processed_events',
  'paybridge_messages',
];
const AT = '2026-01-01T00:00:00.000Z';
const first = makePayment({ externalId: 'EXT-1', orderId: 'o-1', createdAt: AT, updatedAt: AT });
const second = makePayment({ externalId: 'EXT-1', orderId: 'o-1', createdAt: AT, updatedAt: AT });
const third = makePayment({ orderId: 'o-2', status: 'pending', createdAt: '2026-01-02T00:00:00.000Z' });
const transitions = [first, second].map((payment) => makeTransition(payment));
const message: MessageRow = {
  id: 'msg_hot_1',
  direction: 'inbound',
  backend: 'payu',
  kind: 'notification',
  method: 'POST',
  url: 'https://shop.example/pay/notify/payu',
  headers: '{"content-type":"application/json"}',
  body: '{}',
  body_encoding: 'utf8',
  verdict: 'unverified',
  outcome: null,
  response_status: null,
  response_body: null,
  payment_id: null,
  detail: null,
  duration_ms: null,
  created_at: AT,
  updated_at: AT,
};

/**
 * Every hot query through `layer` on a fresh database, then every table: what the plain Kysely
 * queries answer and write, the speed-ups' raw statements must answer and write too.
 */
async function everyQuery(engine: SqlEngine, layer: Speedups) {
  const store = createSqlStore(engine.dialect, engine, {}, plain(engine));
  await store.migrate();
  const { queries: q, write, writeTransaction } = layer;
  const { db } = engine;
  const toRow = (payment: typeof first) => paymentToRow(payment, engine.toBool);
  const answers: unknown[] = [];
  await writeTransaction(async (trx) => {
    for (const payment of [first, second, third]) await q.insertPayment(trx, toRow(payment));
    await q.insertTransitions(trx, transitions.map(transitionToRow));
  });
  answers.push(
    await q.selectPayment(db, first.id),
    await q.selectPayment(db, 'pay_missing'),
    await q.findByExternalId(db, 'dummy', 'EXT-1'),
    await q.findByExternalId(db, 'other', 'EXT-1'),
    await q.listPayments(db, {}, null, 2),
    await q.listPayments(db, { orderId: 'o-1', backend: 'dummy', status: 'new' }, [AT, second.id], 10),
    await q.listPayments(db, { expiresBefore: '2030-01-01', createdBefore: '2026-01-02' }, null, 10),
    await q.listPayments(db, { refundOpen: true }, null, 10),
    await q.listPayments(db, { backend: 'dummy' }, ['2026-01-02T00:00:00.000Z', 'pay_'], 1),
  );
  answers.push(
    await writeTransaction(async (trx) => [
      (await q.claimEvents(trx, first.id, ['e:a', 'e:b'], AT)).sort(),
      (await q.claimEvents(trx, first.id, ['e:b', 'e:c'], AT)).sort(),
      // As Kysely does, a column whose value is undefined is left out of the SET.
      await q.updatePayment(trx, first.id, 1, { status: 'paid', version: 2, description: undefined }),
      await q.updatePayment(trx, first.id, 1, { status: 'failed', version: 2 }),
    ]),
  );
  await write((handle) => q.insertMessage(handle, message));
  answers.push(
    await write((handle) => q.updateMessage(handle, message.id, { outcome: 'applied', detail: undefined })),
    await write((handle) => q.updateMessage(handle, 'msg_missing', { outcome: 'applied' })),
  );
  const [transition] = await engine.db.selectFrom('paybridge_transitions').select('id').execute();
  await write((handle) => q.markEmitted(handle, [transition?.id ?? '', 'trn_missing'], AT));
  for (const table of TABLES) {
    const qualified = engine.schema ? `"${engine.schema}".${table}` : table;
    answers.push((await sql.raw(`select * from ${qualified} order by 1`).execute(engine.db)).rows);
  }
  await store.close();
  return answers;
}

describe('hot statements on SQLite', () => {
  it('answer and write as the Kysely queries do', async () => {
    const open = () => sqliteEngine({ filename: ':memory:', busyTimeoutMs: 1000 });
    const reference = open();
    const fast = open();
    const expected = await everyQuery(reference, plain(reference));
    expect(expected[0]).toMatchObject({ id: first.id });
    expect(await everyQuery(fast, sqliteSpeedups(fast))).toEqual(expected);
  });

  it('run on the connection, and a read never sees what an open write has not committed', async () => {
    const engine = sqliteEngine({ filename: ':memory:', busyTimeoutMs: 1000 });
    const speedups = sqliteSpeedups(engine);
    const store = createSqlStore('sqlite', engine, {}, speedups);
    try {
      await store.migrate();
      const payment = makePayment();
      await store.createPayment(payment, makeTransition(payment));
      // Straight on the connection: Kysely's executor is not involved.
      const executed = vi.spyOn(engine.db, 'executeQuery');
      expect(await speedups.queries.selectPayment(engine.db, payment.id)).toMatchObject({ id: payment.id });
      expect(executed).not.toHaveBeenCalled();
      executed.mockRestore();

      let finish = () => {};
      const held = new Promise<void>((resolve) => {
        finish = resolve;
      });
      let updated = () => {};
      const updatedOnce = new Promise<void>((resolve) => {
        updated = resolve;
      });
      const writing = speedups.writeTransaction(async (trx) => {
        await speedups.queries.updatePayment(trx, payment.id, 1, { status: 'paid', version: 2 });
        updated();
        await held;
        throw new Error('rolled back after all');
      });
      await updatedOnce;
      const reading = speedups.queries.selectPayment(engine.db, payment.id);
      finish();
      await expect(writing).rejects.toThrow('rolled back after all');
      expect(await reading).toMatchObject({ status: 'new', version: 1 });
    } finally {
      await store.close();
    }
  });
});

describePostgres('hot statements on PostgreSQL', () => {
  const schemas = [uniqueSchema('hot_plain'), uniqueSchema('hot_fast')];
  afterAll(() => Promise.all(schemas.map(dropSchema)));

  it('answer and write as the Kysely queries do, shared between callers or not', async () => {
    const [plainSchema, fastSchema] = schemas as [string, string];
    const reference = postgresEngine({ connectionString: databaseUrl as string, schema: plainSchema });
    const fast = postgresEngine({ connectionString: databaseUrl as string, schema: fastSchema });
    const expected = await everyQuery(reference, plain(reference));
    expect(expected[0]).toMatchObject({ id: first.id });
    expect(await everyQuery(fast, postgresSpeedups(fast))).toEqual(expected);
  });
});
