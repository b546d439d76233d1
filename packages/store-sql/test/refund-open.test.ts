import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentPageQuery } from '../src/lib/queries';
import type { SqlPaymentStore } from '../src/lib/sql-store';
import { sqliteStore } from '../src/sqlite-store';
import { describePostgres, dropSchema, openPostgres, uniqueSchema } from './support/postgres';

const root = await mkdtemp(join(tmpdir(), 'paybridge-refund-open-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/** The plan of reconciliation's refund listing: `listPayments({ refundOpen: true })`, page after page. */
async function planOf(store: SqlPaymentStore, prefix: string): Promise<string> {
  await store.migrate();
  const query = paymentPageQuery(
    store.db,
    { refundOpen: true },
    ['2026-01-01T00:00:00.000Z', 'pay_x'],
    201,
  ).compile();
  return store.db.transaction().execute(async (trx) => {
    if (store.dialect === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
    const plan = await trx.executeQuery(CompiledQuery.raw(`${prefix} ${query.sql}`, [...query.parameters]));
    return JSON.stringify(plan.rows);
  });
}

describe('refundOpen reads the partial index, never the whole table', () => {
  it('SQLite', async () => {
    const store = sqliteStore({ filename: join(root, 'plan.db') });
    try {
      expect(await planOf(store, 'explain query plan')).toContain('paybridge_payments_refund_open');
    } finally {
      await store.close();
    }
  });

  const schema = uniqueSchema('refund_open');
  describePostgres('PostgreSQL', () => {
    it('PostgreSQL', async () => {
      const store = openPostgres(schema);
      try {
        expect(await planOf(store, 'explain')).toContain('paybridge_payments_refund_open');
      } finally {
        await store.close();
        await dropSchema(schema);
      }
    });
  });
});
