import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreConformance } from '@paybridge/core/testing';
import { afterAll } from 'vitest';
import { sqliteStore } from '../src/sqlite-store';
import { plainPostgresStore, plainSqliteStore } from './support/plain';
import { describePostgres, dropSchema, openPostgres, uniqueSchema } from './support/postgres';

const root = await mkdtemp(join(tmpdir(), 'paybridge-conformance-'));
afterAll(() => rm(root, { recursive: true, force: true }));

// Each dialect with its speed-ups, as the stores ship, and on the plain layer alone.
runStoreConformance({
  name: 'sqlite',
  create: async () => sqliteStore({ filename: join(root, 'conformance/payments.db') }),
});
runStoreConformance({
  name: 'sqlite, plain layer',
  create: async () => plainSqliteStore(join(root, 'plain/payments.db')),
});

for (const [name, open] of [
  ['postgres', openPostgres],
  ['postgres, plain layer', plainPostgresStore],
] as const) {
  const schema = uniqueSchema('conformance');
  describePostgres(name, () => {
    runStoreConformance({
      name,
      create: async () => open(schema),
      cleanup: async (store) => {
        await store.close?.();
        await dropSchema(schema);
      },
    });
  });
}
