import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { CompiledStatements, type DirectRunner } from './compiled-statements';
import { type ColumnTypes, errorCode, type SqlEngine } from './engine';
import { fileKey, inProcessLock, isFile } from './file-lock';
import { type GroupCommitStatement, groupCommit } from './group-commit';
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

/**
 * better-sqlite3 is synchronous and Kysely's SqliteDialect drives one connection behind a mutex, so
 * one store's transactions are serialized already, and the writes of several stores on one file in
 * this process queue on an in-process lock (see file-lock.ts). A batch of write transactions (group-commit.ts) starts with
 * BEGIN IMMEDIATE: taking the write lock up front means another process waits (busy_timeout) instead of
 * failing with SQLITE_BUSY when a deferred transaction tries to upgrade its read lock.
 */
const CONTROL: Record<GroupCommitStatement, string> = {
  begin: 'begin immediate',
  commit: 'commit',
  rollback: 'rollback',
  savepoint: 'savepoint paybridge_write',
  release: 'release paybridge_write',
  'rollback-to': 'rollback to paybridge_write',
};

export function sqliteEngine(options: SqliteEngineOptions): SqlEngine {
  // The one connection, also driven directly for transaction control while Kysely's mutex is held.
  let connection: BetterSqlite3.Database | null = null;
  let statementCache: ReturnType<typeof withStatementCache> | null = null;
  const controls = new Map<GroupCommitStatement, BetterSqlite3.Statement>();
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: async () => {
        connection = await openDatabase(options);
        controls.clear();
        statementCache = withStatementCache(connection);
        return statementCache;
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
  const live = (): BetterSqlite3.Database => {
    if (!connection) throw new Error('paybridge: the SQLite connection is not open');
    return connection;
  };
  const transaction = groupCommit<Kysely<Database>>({
    // Kysely opens the connection on first use and serializes everything on it behind its mutex.
    hold: (body) => serialized(() => db.connection().execute(body)),
    control: (statement) => {
      let prepared = controls.get(statement);
      if (!prepared) {
        prepared = live().prepare(CONTROL[statement]);
        controls.set(statement, prepared);
      }
      prepared.run();
    },
    inTransaction: () => live().inTransaction,
  });
  /**
   * A known statement straight on the connection (better-sqlite3 is synchronous, so nothing else
   * runs in between). Inside a write (a handle other than `db`) the batch holds the connection and
   * the statement is part of its transaction. On `db` only reads, and only while no batch is open:
   * the connection then sees nothing uncommitted. Otherwise Kysely runs it behind its mutex.
   */
  const direct: DirectRunner = (handle, source, parameters) => {
    if (!connection || !statementCache || !connection.open) return null;
    if (handle === db && connection.inTransaction) return null;
    const statement = statementCache.prepare(source);
    if (statement.reader) return { rows: statement.all(parameters as unknown[]) };
    if (handle === db) return null;
    const { changes, lastInsertRowid } = statement.run(parameters as unknown[]);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  };
  return {
    dialect: 'sqlite',
    db,
    columns: COLUMNS,
    schema: null,
    shared: null,
    statements: new CompiledStatements(direct),
    // Write transactions and single writes share one group commit: each is all or nothing, and
    // each is answered only after the COMMIT that made it durable (see group-commit.ts).
    writeTransaction: (fn) => transaction(fn),
    write: (fn) => transaction(fn, { single: true }),
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
