import { Kysely, SqliteDialect, sql } from 'kysely';
import { type ColumnTypes, errorCode, type SqlEngine } from './engine';
import { fileKey, inProcessLock, isFile } from './file-lock';
import type { Database } from './schema';
import {
  type CachedConnection,
  openDatabase,
  type SqliteConnectionOptions,
  withStatementCache,
} from './sqlite-connection';

export type SqliteEngineOptions = SqliteConnectionOptions;

/** The SQLite engine, and what its speed-ups (speedups/sqlite-speedups.ts) need of it. */
export interface SqliteEngine extends SqlEngine {
  readonly dialect: 'sqlite';
  /**
   * Holds the one connection while `body` runs: behind Kysely's mutex, and behind the in-process
   * lock of its file (file-lock.ts), so that writers of several stores on one file take turns.
   */
  hold<T>(body: (connection: Kysely<Database>) => Promise<T>): Promise<T>;
  /** The open connection (null before the first query), to run statements on it directly. */
  connection(): CachedConnection | null;
}

const COLUMNS: ColumnTypes = { identity: 'sqlite', money: 'integer', json: 'text', bool: 'integer' };

/**
 * better-sqlite3 is synchronous and Kysely's SqliteDialect drives one connection behind a mutex, so
 * one store's transactions are serialized already. A write transaction starts with BEGIN IMMEDIATE:
 * taking the write lock up front means another process waits (busy_timeout) instead of failing with
 * SQLITE_BUSY when a deferred transaction tries to upgrade its read lock.
 */
export function sqliteEngine(options: SqliteEngineOptions): SqliteEngine {
  let connection: CachedConnection | null = null;
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: async () => {
        connection = withStatementCache(await openDatabase(options));
        return connection;
      },
    }),
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
  // Kysely opens the connection on first use and serializes everything on it behind its mutex.
  const hold = <T>(body: (connection: Kysely<Database>) => Promise<T>) =>
    serialized(() => db.connection().execute(body));
  return {
    dialect: 'sqlite',
    db,
    columns: COLUMNS,
    schema: null,
    hold,
    connection: () => connection,
    writeTransaction: (fn) =>
      hold(async (trx) => {
        await sql`begin immediate`.execute(trx);
        try {
          const value = await fn(trx);
          await sql`commit`.execute(trx);
          return value;
        } catch (error) {
          // Some errors (SQLITE_FULL, …) end the transaction themselves.
          if (connection?.database.inTransaction) await sql`rollback`.execute(trx);
          throw error;
        }
      }),
    write: (fn) => hold(fn),
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
