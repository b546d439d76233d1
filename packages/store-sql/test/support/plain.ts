import { postgresEngine } from '../../src/lib/postgres-engine';
import { plain } from '../../src/lib/speedups/speedups';
import { createSqlStore, type SqlPaymentStore } from '../../src/lib/sql-store';
import { sqliteEngine } from '../../src/lib/sqlite-engine';
import { databaseUrl } from './postgres';

/**
 * Stores on the plain layer alone (every statement a Kysely query, the engine's own transactions,
 * no speed-ups): the suites run on them too, so the speed-ups are proven to answer as they do.
 */
export function plainSqliteStore(filename: string): SqlPaymentStore {
  const engine = sqliteEngine({ filename, busyTimeoutMs: 5000 });
  return createSqlStore('sqlite', engine, {}, plain(engine));
}

export function plainPostgresStore(schema: string): SqlPaymentStore {
  const engine = postgresEngine({ connectionString: databaseUrl ?? '', schema });
  return createSqlStore('postgres', engine, {}, plain(engine));
}
