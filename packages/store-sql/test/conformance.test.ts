import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Payment } from '@paybridge/core';
import { runStoreConformance } from '@paybridge/core/testing';
import { afterAll } from 'vitest';
import { postgresEngine } from '../src/lib/postgres-engine';
import { sqliteEngine } from '../src/lib/sqlite-engine';
import { sqliteStore } from '../src/sqlite-store';
import { writeWithEarlierSchema } from './support/earlier-schema';
import { plainPostgresStore, plainSqliteStore } from './support/plain';
import { databaseUrl, describePostgres, dropSchema, openPostgres, uniqueSchema } from './support/postgres';

const root = await mkdtemp(join(tmpdir(), 'paybridge-conformance-'));
afterAll(() => rm(root, { recursive: true, force: true }));

let earlier = 0;
/** A fresh file the previous schema version wrote `payments` into, opened by `open` (which migrates it). */
async function earlierSqlite(
  payments: readonly Payment[],
  open: (filename: string) => ReturnType<typeof sqliteStore>,
) {
  const filename = join(root, `earlier-${++earlier}/payments.db`);
  await writeWithEarlierSchema(sqliteEngine({ filename, busyTimeoutMs: 5000 }), payments);
  return open(filename);
}

// Each dialect with its speed-ups, as the stores ship, and on the plain layer alone.
runStoreConformance({
  name: 'sqlite',
  create: async () => sqliteStore({ filename: join(root, 'conformance/payments.db') }),
  earlierSchema: (payments) => earlierSqlite(payments, (filename) => sqliteStore({ filename })),
});
runStoreConformance({
  name: 'sqlite, plain layer',
  create: async () => plainSqliteStore(join(root, 'plain/payments.db')),
  earlierSchema: (payments) => earlierSqlite(payments, plainSqliteStore),
});

for (const [name, open] of [
  ['postgres', openPostgres],
  ['postgres, plain layer', plainPostgresStore],
] as const) {
  const schema = uniqueSchema('conformance');
  const earlierSchemas: string[] = [];
  describePostgres(name, () => {
    runStoreConformance({
      name,
      create: async () => open(schema),
      cleanup: async (store) => {
        await store.close?.();
        for (const each of [schema, ...earlierSchemas]) await dropSchema(each);
      },
      earlierSchema: async (payments) => {
        const own = uniqueSchema('earlier');
        earlierSchemas.push(own);
        await writeWithEarlierSchema(
          postgresEngine({ connectionString: databaseUrl ?? '', schema: own }),
          payments,
        );
        return open(own);
      },
    });
  });
}
