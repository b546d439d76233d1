import { createSqlStore, type SqlPaymentStore, type SqlStoreOptions } from './lib/sql-store';
import { sqliteEngine } from './lib/sqlite-engine';

export interface SqliteStoreOptions extends SqlStoreOptions {
  /** Database file; its folder is created when missing. `:memory:` for a throw-away database. */
  filename: string;
  /** How long a write waits for another process's write lock before failing, ms (default 5000). */
  busyTimeoutMs?: number;
}

/**
 * The embedded default: one SQLite file in WAL mode. Safe for several processes on one machine
 * (writes are serialized by SQLite's lock); use `postgresStore` when instances run on several machines.
 */
export function sqliteStore(options: SqliteStoreOptions): SqlPaymentStore {
  const engine = sqliteEngine({ filename: options.filename, busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
  return createSqlStore('sqlite', engine, options);
}
