import { postgresEngine } from '../../src/lib/postgres-engine';
import { createSqlStore, type SqlPaymentStore } from '../../src/lib/sql-store';
import { sqliteEngine } from '../../src/lib/sqlite-engine';
import { databaseUrl } from './postgres';

/**
 * Stores on the plain layer alone (every statement a Kysely query, the engine's own transactions,
 * no speed-ups): the suites run on them too, so the speed-ups are proven to answer as they do.
 */
export function plainSqliteStore(filename: string): SqlPaymentStore {
  return createSqlStore('sqlite', sqliteEngine({ filename, busyTimeoutMs: 5000 }));
}

export function plainPostgresStore(schema: string): SqlPaymentStore {
  return createSqlStore('postgres', postgresEngine({ connectionString: databaseUrl ?? '', schema }));
}
