import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './lib/migrations';
import { describePostgres, dropSchema, openPostgres, uniqueSchema } from './lib/testing/postgres';
import { describeSqlStoreContract } from './lib/testing/store-contract';
import { describeSqlStoreRobustness } from './lib/testing/store-robustness';
import { migrate } from './migrate';
import { postgresStore } from './postgres-store';

const ALL_VERSIONS = MIGRATIONS.map((m) => m.version);
const LATEST = Math.max(...ALL_VERSIONS);

const schema = uniqueSchema('contract');
const robustness = uniqueSchema('robustness');

describePostgres(
  'postgresStore',
  () => {
    describeSqlStoreContract('postgres', {
      async create() {
        return openPostgres(schema);
      },
      async sibling() {
        return openPostgres(schema);
      },
      cleanup: () => dropSchema(schema),
    });

    describeSqlStoreRobustness('postgres', {
      create: async () => openPostgres(robustness),
      sibling: async () => openPostgres(robustness),
      cleanup: () => dropSchema(robustness),
    });

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
