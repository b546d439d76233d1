import pg from 'pg';
import { describe } from 'vitest';
import type { SqlPaymentStore } from '../../src/lib/sql-store';
import { postgresStore } from '../../src/postgres-store';

/**
 * PostgreSQL tests run against DATABASE_URL. Without it they skip with one visible line, except
 * under CI=true where a missing PostgreSQL is a failure (the CI job provides one).
 */
export const databaseUrl = process.env.DATABASE_URL || undefined;

export const SKIP_LINE =
  'store-sql: DATABASE_URL not set — PostgreSQL tests (contract, conformance, concurrency, secrets) skipped';

/** Whether the PostgreSQL tests run; throws when they cannot but must (CI=true). */
export function postgresGate(env: Readonly<Record<string, string | undefined>>): 'run' | 'skip' {
  if (env.DATABASE_URL) return 'run';
  if (env.CI === 'true') {
    throw new Error(
      'DATABASE_URL is not set: the PostgreSQL tests of @paybridge/store-sql must run under CI',
    );
  }
  return 'skip';
}

/**
 * Vitest runs each test file in its own worker, so "print once" cannot be a module flag: exactly one
 * file (postgres-store.test.ts) passes `announce` and prints the single skip line for all of them.
 */
export function describePostgres(name: string, body: () => void, options: { announce?: boolean } = {}): void {
  const gate = postgresGate(process.env);
  if (gate === 'skip' && options.announce) console.log(SKIP_LINE);
  describe.runIf(gate === 'run')(name, body);
}

/** A schema of its own per test file and run, so parallel runs never share tables. */
export function uniqueSchema(label: string): string {
  return `pb_test_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export function openPostgres(schema: string, options: { max?: number } = {}): SqlPaymentStore {
  return postgresStore({
    connectionString: databaseUrl ?? '',
    schema,
    poolConfig: { max: options.max ?? 10 },
  });
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema.replaceAll('"', '""')}" cascade`);
  } finally {
    await client.end();
  }
}
