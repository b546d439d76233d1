import type { SqlEngine } from './engine';
import { MIGRATIONS, type Migration, required } from './migrations';

export interface MigrationReport {
  /** Versions this call applied (empty when the schema was already current). */
  applied: number[];
  /** The schema version after the call. */
  version: number;
}

/** Where the schema stands, read without changing anything (a dry run, a health check). */
export interface MigrationStatus {
  /** The schema version applied (0 for an empty database). */
  version: number;
  /** Migrations not applied yet, in the order `migrate()` would apply them. */
  pending: Array<{ version: number; name: string }>;
}

/** A missing migrations table (nothing migrated yet), as each engine reports it. */
function isMissingTable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42P01' || (error instanceof Error && /no such table/i.test(error.message));
}

export async function readMigrationStatus(
  engine: SqlEngine,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationStatus> {
  let done: Set<number>;
  try {
    const rows = await engine.db.selectFrom('paybridge_migrations').select('version').execute();
    done = new Set(rows.map((row) => Number(row.version)));
  } catch (error) {
    if (!isMissingTable(error)) throw error;
    done = new Set();
  }
  const pending = [...migrations]
    .sort((a, b) => a.version - b.version)
    .filter((m) => !done.has(m.version))
    .map(({ version, name }) => ({ version, name }));
  return { version: Math.max(0, ...done), pending };
}

/**
 * Applies pending migrations in one transaction under a lock, so any number of instances may
 * start at once: the first migrates, the others wait for the lock and then find nothing to do.
 * Both engines have transactional DDL, so a failed migration leaves no half-built schema.
 */
export async function runMigrations(
  engine: SqlEngine,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  return engine.writeTransaction(async (trx) => {
    await engine.lockForMigration(trx);
    await engine.prepareNamespace(trx);
    await trx.schema
      .createTable('paybridge_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (col) => col.primaryKey())
      .addColumn('name', 'text', required)
      .addColumn('applied_at', 'text', required)
      .execute();
    const rows = await trx.selectFrom('paybridge_migrations').select('version').execute();
    const done = new Set(rows.map((row) => Number(row.version)));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await migration.up(trx, engine.columns);
      await trx
        .insertInto('paybridge_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
      applied.push(migration.version);
    }
    const version = Math.max(0, ...done, ...applied);
    return { applied, version };
  });
}
