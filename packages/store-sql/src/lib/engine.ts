import type { Kysely } from 'kysely';
import type { Database } from './schema';

/** Column types that differ between the dialects (the schema is otherwise one). */
export interface ColumnTypes {
  /** Auto-incrementing identity used for ordering and cursors. */
  identity: 'sqlite' | 'postgres';
  money: 'integer' | 'bigint';
  json: 'text' | 'jsonb';
  bool: 'integer' | 'boolean';
}

/**
 * What the SQL store needs from a dialect, in plain Kysely. Kept small on purpose: every query is
 * one Kysely query shared by both engines (queries.ts); a dialect's speed-ups are a separate layer
 * (speedups/speedups.ts).
 */
export interface SqlEngine {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  readonly columns: ColumnTypes;
  /** The PostgreSQL schema holding the tables, when one was configured (SQLite: null). */
  readonly schema: string | null;
  /** Runs `fn` in a write transaction; rolls back when it throws. */
  writeTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Runs a write of exactly one statement, outside a transaction of its own (a statement is atomic). */
  write<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Serializes concurrent migrators (PostgreSQL advisory lock; SQLite `BEGIN IMMEDIATE`) inside `trx`. */
  lockForMigration(trx: Kysely<Database>): Promise<void>;
  /** Creates the namespace the tables live in, when the dialect has one (PostgreSQL schema). */
  prepareNamespace(trx: Kysely<Database>): Promise<void>;
  /** A UNIQUE / PRIMARY KEY violation. */
  isUniqueViolation(error: unknown): boolean;
  /** A transient failure worth retrying the whole transaction (deadlock, serialization, busy). */
  isTransient(error: unknown): boolean;
  toBool(value: boolean): boolean | number;
  close(): Promise<void>;
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
