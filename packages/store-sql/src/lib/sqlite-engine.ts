import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { type ColumnTypes, errorCode, type SqlEngine } from './engine';
import { fileKey, inProcessLock, isFile } from './file-lock';
import type { Database } from './schema';

export interface SqliteEngineOptions {
  filename: string;
  busyTimeoutMs: number;
}

const COLUMNS: ColumnTypes = { identity: 'sqlite', money: 'integer', json: 'text', bool: 'integer' };

async function openDatabase(options: SqliteEngineOptions): Promise<BetterSqlite3.Database> {
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

/**
 * better-sqlite3 is synchronous and Kysely's SqliteDialect drives one connection behind a mutex, so
 * one store's transactions are serialized already, and the writes of several stores on one file in
 * this process queue on an in-process lock (see file-lock.ts). Write transactions start with BEGIN
 * IMMEDIATE: taking the write lock up front means another process waits (busy_timeout) instead of
 * failing with SQLITE_BUSY when a deferred transaction tries to upgrade its read lock.
 */
/** Statements kept per connection; the SQL of a payment write is the same text every time. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query again, and preparing costs about as much as running
 * one of ours. Hand it the connection with a bounded cache of prepared statements by SQL text; a
 * statement still busy (an open iterator) is never handed out twice. SQLite re-prepares a cached
 * statement by itself after a schema change (sqlite3_prepare_v2).
 */
export function withStatementCache(database: BetterSqlite3.Database, size = STATEMENT_CACHE_SIZE) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
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

export function sqliteEngine(options: SqliteEngineOptions): SqlEngine {
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: async () => withStatementCache(await openDatabase(options)) }),
  });
  let key: Promise<string> | null = null;
  const serialized = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (!isFile(options.filename)) return fn();
    key ??= fileKey(options.filename).catch((error: unknown) => {
      key = null;
      throw error;
    });
    return inProcessLock(await key)(fn);
  };
  return {
    dialect: 'sqlite',
    db,
    columns: COLUMNS,
    writeTransaction: (fn) =>
      serialized(() =>
        db.connection().execute(async (connection) => {
          await sql`begin immediate`.execute(connection);
          try {
            const result = await fn(connection);
            await sql`commit`.execute(connection);
            return result;
          } catch (error) {
            // After some errors (SQLITE_FULL, SQLITE_IOERR, …) SQLite has rolled back already and
            // ROLLBACK fails: the original error is the one to report.
            await sql`rollback`.execute(connection).catch(() => {});
            throw error;
          }
        }),
      ),
    write: (fn) => serialized(() => fn(db)),
    lockForMigration: async () => {},
    prepareNamespace: async () => {},
    isUniqueViolation: (error) => {
      const code = errorCode(error);
      return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
    },
    isTransient: (error) => {
      const code = errorCode(error) ?? '';
      return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
    },
    toBool: (value) => (value ? 1 : 0),
    close: () => db.destroy(),
  };
}
