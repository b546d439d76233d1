import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentPageQuery } from '../src/lib/queries';
import { hotSql } from '../src/lib/speedups/hot-sql';
import type { SqlPaymentStore } from '../src/lib/sql-store';
import { sqliteStore } from '../src/sqlite-store';
import { describePostgres, dropSchema, openPostgres, uniqueSchema } from './support/postgres';

const root = await mkdtemp(join(tmpdir(), 'paybridge-refund-open-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const AFTER = ['2026-01-01T00:00:00.000Z', 'pay_x'] as const;

/**
 * The plan of reconciliation's refund listing: `listPayments({ refundOpen: true })`, page after page,
 * as the plain layer's Kysely query or as the speed-ups' raw statement (`layer`).
 */
async function planOf(store: SqlPaymentStore, prefix: string, layer: 'kysely' | 'raw'): Promise<string> {
  await store.migrate();
  const query =
    layer === 'kysely'
      ? paymentPageQuery(store.db, { refundOpen: true }, AFTER, 201).compile()
      : hotSql(store.dialect, store.dialect === 'postgres' ? schema : null).paymentPage(
          { refundOpen: true },
          AFTER,
          201,
        );
  return store.db.transaction().execute(async (trx) => {
    if (store.dialect === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
    const plan = await trx.executeQuery(CompiledQuery.raw(`${prefix} ${query.sql}`, [...query.parameters]));
    return JSON.stringify(plan.rows);
  });
}

const schema = uniqueSchema('refund_open');

describe.each(['kysely', 'raw'] as const)(
  'refundOpen reads the partial index (%s), never the whole table',
  (layer) => {
    it('SQLite', async () => {
      const store = sqliteStore({ filename: join(root, `plan-${layer}.db`) });
      try {
        expect(await planOf(store, 'explain query plan', layer)).toContain('paybridge_payments_refund_open');
      } finally {
        await store.close();
      }
    });

    describePostgres('PostgreSQL', () => {
      it('PostgreSQL', async () => {
        const store = openPostgres(schema);
        try {
          expect(await planOf(store, 'explain', layer)).toContain('paybridge_payments_refund_open');
        } finally {
          await store.close();
          await dropSchema(schema);
        }
      });
    });
  },
);
