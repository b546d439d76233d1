import { sqliteSpeedups } from './lib/speedups/sqlite-speedups';
import { createSqlStore, type SqlPaymentStore, type SqlStoreOptions } from './lib/sql-store';
import { sqliteEngine } from './lib/sqlite-engine';
import { checkSqliteOptions } from './lib/sqlite-options';

export interface SqliteStoreOptions extends SqlStoreOptions {
  /** Database file; its folder is created when missing. `:memory:` for a throw-away database. */
  filename: string;
  /** How long a write waits for another process's write lock before failing, ms (default 5000). */
  busyTimeoutMs?: number;
}

/**
 * The embedded default: one SQLite file in WAL mode. Safe for several processes on one machine
 * (writes are serialized by SQLite's lock); use `postgresStore` when instances run on several machines.
 * The options are checked and the file's folder created here (INVALID_CONFIG naming the option);
 * the file is opened by `migrate()` or the first query.
 */
export function sqliteStore(options: SqliteStoreOptions): SqlPaymentStore {
  checkSqliteOptions(options);
  const engine = sqliteEngine({ filename: options.filename, busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
  return createSqlStore('sqlite', engine, options, sqliteSpeedups(engine));
}
