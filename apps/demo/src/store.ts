import type { PaymentStore } from '@paybridge/core';
import { postgresStore, sqliteStore } from '@paybridge/store-sql';
import type { Env } from './brokers';

/** PostgreSQL when DATABASE_URL is set, else a SQLite file in the app's data folder (git-ignored). */
export function storeFromEnv(env: Env, defaultFile: string): PaymentStore & { migrate(): Promise<unknown> } {
  if (env.DATABASE_URL) {
    return postgresStore({
      connectionString: env.DATABASE_URL,
      ...(env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {}),
    });
  }
  return sqliteStore({ filename: env.DEMO_SQLITE_FILE ?? defaultFile });
}

/** What to print about the store without ever printing a password. */
export function describeStore(env: Env, defaultFile: string): string {
  if (!env.DATABASE_URL) return `SQLite ${env.DEMO_SQLITE_FILE ?? defaultFile}`;
  try {
    const url = new URL(env.DATABASE_URL);
    return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}
