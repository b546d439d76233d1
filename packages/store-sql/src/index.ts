export type { MigrationReport, MigrationStatus } from './lib/migrator';
export type { Database as StoreSqlDatabase } from './lib/schema';
export type { SqlPaymentStore, SqlStoreOptions } from './lib/sql-store';
export { type MigrateOptions, migrate } from './migrate';
export { type PostgresStoreOptions, postgresStore } from './postgres-store';
export { type SqliteStoreOptions, sqliteStore } from './sqlite-store';
