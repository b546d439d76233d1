import type { MigrationReport } from './lib/migrator';
import type { PostgresEngineOptions } from './lib/postgres-engine';
import { postgresStore } from './postgres-store';
import { sqliteStore } from './sqlite-store';

export type MigrateOptions = { filename: string; busyTimeoutMs?: number } | PostgresEngineOptions;

/**
 * Applies pending migrations and returns (for a deploy step that runs migrations separately, with
 * the stores created with `autoMigrate: false`). Safe to run while instances start.
 */
export async function migrate(options: MigrateOptions): Promise<MigrationReport> {
  const store =
    'filename' in options
      ? sqliteStore({ ...options, autoMigrate: false })
      : postgresStore({ ...options, autoMigrate: false });
  try {
    return await store.migrate();
  } finally {
    await store.close();
  }
}
