import { Kysely, PostgresDialect, type PostgresPool, sql } from 'kysely';
import { type ColumnTypes, errorCode, type SqlEngine } from './engine';
import type { Database } from './schema';

/**
 * Options handed to `new pg.Pool(…)` with the connection string (pg's `PoolConfig`). Declared here
 * rather than imported from `pg`, so that the package's public types never need `@types/pg`: a
 * SQLite-only project type-checks with `skipLibCheck: false` without it.
 */
export interface PostgresPoolConfig {
  max?: number;
  min?: number;
  idleTimeoutMillis?: number;
  connectionTimeoutMillis?: number;
  statement_timeout?: number;
  query_timeout?: number;
  application_name?: string;
  ssl?: boolean | Record<string, unknown>;
  keepAlive?: boolean;
  allowExitOnIdle?: boolean;
  maxUses?: number;
  /** Any other `pg.Pool` option, passed as it is. */
  [option: string]: unknown;
}

export type PostgresConnection =
  | { connectionString: string; pool?: undefined; poolConfig?: PostgresPoolConfig }
  /** Your own pool: a `pg.Pool` (typed structurally, as Kysely's `PostgresPool`). */
  | { pool: PostgresPool; connectionString?: undefined; poolConfig?: undefined };

export type PostgresEngineOptions = PostgresConnection & {
  /** PostgreSQL schema holding the tables (created when missing). Default: the connection's search_path. */
  schema?: string | undefined;
};

const COLUMNS: ColumnTypes = { identity: 'postgres', money: 'bigint', json: 'jsonb', bool: 'boolean' };

// SQLSTATE codes, https://www.postgresql.org/docs/current/errcodes-appendix.html
const UNIQUE_VIOLATION = '23505';
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

export function postgresEngine(options: PostgresEngineOptions): SqlEngine {
  const ownsPool = options.pool === undefined;
  const pool = async (): Promise<PostgresPool> => {
    if (options.pool) return options.pool;
    // Loaded lazily: pg is an optional peer dependency (SQLite users need not install it).
    const { default: pg } = await import('pg');
    return new pg.Pool({ ...options.poolConfig, connectionString: options.connectionString });
  };
  const base = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const db = options.schema ? base.withSchema(options.schema) : base;
  const namespace = options.schema ?? 'public';
  return {
    dialect: 'postgres',
    db,
    columns: COLUMNS,
    schema: options.schema ?? null,
    writeTransaction: (fn) => db.transaction().execute(fn),
    write: (fn) => fn(db),
    // A transaction-scoped advisory lock: every instance starting at once queues here, and the lock
    // is released by the commit — no lock row to clean up after a crash.
    lockForMigration: async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`paybridge-migrations:${namespace}`}))`.execute(trx);
    },
    prepareNamespace: async (trx) => {
      if (options.schema) await sql`create schema if not exists ${sql.id(options.schema)}`.execute(trx);
    },
    isUniqueViolation: (error) => errorCode(error) === UNIQUE_VIOLATION,
    isTransient: (error) => {
      const code = errorCode(error);
      return code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED;
    },
    toBool: (value) => value,
    // A pool the caller passed in is theirs to end.
    close: async () => {
      if (ownsPool) await base.destroy();
    },
  };
}
