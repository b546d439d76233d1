import type { Kysely } from 'kysely';
import type { CompiledStatements } from './compiled-statements';
import type { Database } from './schema';
import type { SharedStatements } from './shared-statements';

/** Column types that differ between the dialects (the schema is otherwise one). */
export interface ColumnTypes {
  /** Auto-incrementing identity used for ordering and cursors. */
  identity: 'sqlite' | 'postgres';
  money: 'integer' | 'bigint';
  json: 'text' | 'jsonb';
  bool: 'integer' | 'boolean';
}

/**
 * What the generic SQL store needs from a dialect. Kept small on purpose: everything else is one
 * Kysely query shared by both engines.
 */
export interface SqlEngine {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  readonly columns: ColumnTypes;
  /** The PostgreSQL schema holding the tables, when one was configured (SQLite: null). */
  readonly schema: string | null;
  /** The hot statements' SQL text, per shape (compiled-statements.ts). */
  readonly statements: CompiledStatements;
  /**
   * Single-statement steps that concurrent callers share (shared-statements.ts): PostgreSQL, where
   * each statement is a round trip. SQLite has none: its group commit shares the commits already.
   */
  readonly shared: SharedStatements | null;
  /** Runs `fn` in a write transaction; rolls back when it throws. */
  writeTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs a write of exactly one statement outside a transaction of its own: on SQLite it queues behind
   * the file's other writers and shares their commit, without a savepoint (a statement is atomic).
   */
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
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
