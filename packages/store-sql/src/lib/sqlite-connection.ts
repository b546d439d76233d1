import type BetterSqlite3 from 'better-sqlite3';
import { fileKey, isFile } from './file-lock';

export interface SqliteConnectionOptions {
  filename: string;
  busyTimeoutMs: number;
}

/** Opens the database file in WAL mode with a busy timeout (its folder is created when missing). */
export async function openDatabase(options: SqliteConnectionOptions): Promise<BetterSqlite3.Database> {
  const { filename } = options;
  if (isFile(filename)) await fileKey(filename);
  // Loaded lazily: better-sqlite3 is an optional peer dependency (PostgreSQL users need not install it).
  const { default: Driver } = await import('better-sqlite3');
  // busy_timeout makes a second process wait for the write lock instead of failing at once
  // (https://www.sqlite.org/pragma.html#pragma_busy_timeout); set at open so that switching to WAL
  // below waits too. WAL lets readers run while one writer commits (https://www.sqlite.org/wal.html).
  const database = new Driver(filename, { timeout: Math.max(0, Math.floor(options.busyTimeoutMs)) });
  database.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  return database;
}

/** Statements kept per connection; the SQL of a payment write is the same text every time. */
const STATEMENT_CACHE_SIZE = 256;

/** The connection as Kysely's SqliteDialect drives it, preparing through the cache. */
export interface CachedConnection {
  readonly database: BetterSqlite3.Database;
  prepare(source: string): BetterSqlite3.Statement;
  close(): void;
}

/**
 * Kysely's SQLite driver prepares every query again, and preparing costs about as much as running
 * one of ours. Hand it the connection with a bounded cache of prepared statements by SQL text; a
 * statement still busy (an open iterator) is never handed out twice. SQLite re-prepares a cached
 * statement by itself after a schema change (sqlite3_prepare_v2).
 */
export function withStatementCache(
  database: BetterSqlite3.Database,
  size = STATEMENT_CACHE_SIZE,
): CachedConnection {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    database,
    close: () => {
      cache.clear();
      database.close();
    },
    prepare(source: string): BetterSqlite3.Statement {
      const cached = cache.get(source);
      if (cached && !cached.busy) {
        // Most recently used last, so the oldest entry is the one evicted.
        cache.delete(source);
        cache.set(source, cached);
        return cached;
      }
      const statement = database.prepare(source);
      if (!cached) {
        cache.set(source, statement);
        if (cache.size > size) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
  };
}
