import { type PostgresEngineOptions, postgresEngine } from './lib/postgres-engine';
import { postgresSpeedups } from './lib/speedups/postgres-speedups';
import { createSqlStore, type SqlPaymentStore, type SqlStoreOptions } from './lib/sql-store';

export type PostgresStoreOptions = SqlStoreOptions & PostgresEngineOptions;

/**
 * PostgreSQL through `pg`: any number of stateless app instances may share one database. Pass a
 * `connectionString` (the store owns and ends its pool) or your own `pool` (left open on `close`).
 */
export function postgresStore(options: PostgresStoreOptions): SqlPaymentStore {
  const engine = postgresEngine(options);
  return createSqlStore('postgres', engine, options, postgresSpeedups(engine));
}
