import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { type ColumnTypes, errorCode, type SqlEngine } from './engine';
import type { Database } from './schema';

export interface SqliteEngineOptions {
  filename: string;
  busyTimeoutMs: number;
}

const COLUMNS: ColumnTypes = { identity: 'sqlite', money: 'integer', json: 'text', bool: 'integer' };

async function openDatabase(options: SqliteEngineOptions): Promise<BetterSqlite3.Database> {
  const { filename } = options;
  if (filename !== '' && filename !== ':memory:' && !filename.startsWith('file:')) {
    await mkdir(dirname(filename), { recursive: true });
  }
  // Loaded lazily: better-sqlite3 is an optional peer dependency (PostgreSQL users need not install it).
  const { default: Driver } = await import('better-sqlite3');
  const database = new Driver(filename);
  // WAL lets readers run while one writer commits; busy_timeout makes a second process wait for the
  // write lock instead of failing at once (https://www.sqlite.org/wal.html, /pragma.html#pragma_busy_timeout).
  database.pragma('journal_mode = WAL');
  database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  return database;
}

/**
 * better-sqlite3 is synchronous and Kysely's SqliteDialect drives one connection behind a mutex, so
 * transactions in one process are serialized already. Write transactions start with BEGIN IMMEDIATE:
 * taking the write lock up front means another process waits (busy_timeout) instead of failing with
 * SQLITE_BUSY when a deferred transaction tries to upgrade its read lock.
 */
export function sqliteEngine(options: SqliteEngineOptions): SqlEngine {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: () => openDatabase(options) }) });
  return {
    dialect: 'sqlite',
    db,
    columns: COLUMNS,
    writeTransaction: (fn) =>
      db.connection().execute(async (connection) => {
        await sql`begin immediate`.execute(connection);
        try {
          const result = await fn(connection);
          await sql`commit`.execute(connection);
          return result;
        } catch (error) {
          await sql`rollback`.execute(connection);
          throw error;
        }
      }),
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
