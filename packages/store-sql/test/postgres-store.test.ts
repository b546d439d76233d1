import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/lib/migrations';
import { migrate } from '../src/migrate';
import { postgresStore } from '../src/postgres-store';
import { makePayment, makeTransition } from './support/fixtures';
import { plainPostgresStore } from './support/plain';
import { databaseUrl, describePostgres, dropSchema, openPostgres, uniqueSchema } from './support/postgres';
import { describeSqlStoreContract } from './support/store-contract';
import { describeSqlStoreListing } from './support/store-listing';
import { describeSqlStoreRobustness } from './support/store-robustness';

const ALL_VERSIONS = MIGRATIONS.map((m) => m.version);
const LATEST = Math.max(...ALL_VERSIONS);

describePostgres(
  'postgresStore',
  () => {
    for (const [label, open] of [
      ['postgres', openPostgres],
      ['postgres, plain layer', plainPostgresStore],
    ] as const) {
      for (const [describeSuite, schema] of [
        [describeSqlStoreContract, uniqueSchema('contract')],
        [describeSqlStoreListing, uniqueSchema('listing')],
        [describeSqlStoreRobustness, uniqueSchema('robustness')],
      ] as const) {
        describeSuite(label, {
          create: async () => open(schema),
          sibling: async () => open(schema),
          cleanup: () => dropSchema(schema),
          // The plain layer shares no statement between callers: a burst costs it more round trips.
          ...(open === plainPostgresStore ? { burstMs: 15_000 } : {}),
        });
      }
    }

    describe('migrations', () => {
      const fresh = uniqueSchema('migrate');
      afterAll(() => dropSchema(fresh));

      it('is safe when several instances start at once: one migrates, all work', async () => {
        const stores = Array.from({ length: 6 }, () => openPostgres(fresh, { max: 2 }));
        const reports = await Promise.all(stores.map((store) => store.migrate()));
        expect(reports.filter((report) => report.applied.length > 0)).toEqual([
          { applied: ALL_VERSIONS, version: LATEST },
        ]);
        expect(reports.every((report) => report.version === LATEST)).toBe(true);
        await Promise.all(stores.map((store) => store.close()));
        expect(await migrate({ connectionString: process.env.DATABASE_URL ?? '', schema: fresh })).toEqual({
          applied: [],
          version: LATEST,
        });
      });

      it('keeps money in bigint and order snapshots and broker data in jsonb columns', async () => {
        await migrate({ connectionString: databaseUrl ?? '', schema: fresh });
        const pool = new pg.Pool({ connectionString: databaseUrl });
        try {
          const { rows } = await pool.query<{ table_name: string; column_name: string; data_type: string }>(
            'select table_name, column_name, data_type from information_schema.columns where table_schema = $1',
            [fresh],
          );
          const type = (table: string, column: string) =>
            rows.find((row) => row.table_name === table && row.column_name === column)?.data_type;
          for (const column of ['amount', 'amount_authorized', 'amount_paid', 'amount_refunded']) {
            expect(type('paybridge_payments', column), column).toBe('bigint');
          }
          expect(type('paybridge_transitions', 'amount_paid')).toBe('bigint');
          expect(type('paybridge_refunds', 'amount')).toBe('bigint');
          for (const column of ['order_snapshot', 'broker_data', 'buyer', 'captures', 'refunds']) {
            expect(type('paybridge_payments', column), column).toBe('jsonb');
          }
          expect(type('paybridge_messages', 'headers')).toBe('jsonb');
        } finally {
          await pool.end();
        }
      });
    });

    it("uses the caller's own pool and leaves it open on close()", async () => {
      const own = uniqueSchema('pool');
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      try {
        const store = postgresStore({ pool, schema: own });
        const payment = makePayment();
        await store.createPayment(payment, makeTransition(payment));
        expect(await store.getPayment(payment.id)).toEqual(payment);
        await store.close();
        const { rows } = await pool.query(`select count(*)::int as n from "${own}".paybridge_payments`);
        expect(rows[0]).toEqual({ n: 1 });
      } finally {
        await pool.end();
        await dropSchema(own);
      }
    });

    it('reports an unreachable database as STORE_UNAVAILABLE without leaking the connection string', async () => {
      const store = postgresStore({
        connectionString: 'postgres://paybridge:s3cret-password@127.0.0.1:1/none',
        poolConfig: { connectionTimeoutMillis: 2000 },
      });
      const error = await store.getPayment('pay_x').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'PaybridgeError', code: 'STORE_UNAVAILABLE', status: 503 });
      expect(JSON.stringify(error)).not.toContain('s3cret-password');
      expect(String((error as Error).message)).not.toContain('s3cret-password');
      await store.close();
    });
  },
  { announce: true },
);
