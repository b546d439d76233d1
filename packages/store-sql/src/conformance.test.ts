import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreConformance } from '@paybridge/core/testing';
import { afterAll } from 'vitest';
import { describePostgres, dropSchema, openPostgres, uniqueSchema } from './lib/testing/postgres';
import { sqliteStore } from './sqlite-store';

const root = await mkdtemp(join(tmpdir(), 'paybridge-conformance-'));
afterAll(() => rm(root, { recursive: true, force: true }));

runStoreConformance({
  name: 'sqlite',
  create: async () => sqliteStore({ filename: join(root, 'conformance/payments.db') }),
});

const schema = uniqueSchema('conformance');
describePostgres('postgres', () => {
  runStoreConformance({
    name: 'postgres',
    create: async () => openPostgres(schema),
    cleanup: async (store) => {
      await store.close?.();
      await dropSchema(schema);
    },
  });
});
