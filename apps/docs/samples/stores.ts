// Stores: SQLite on one machine, PostgreSQL when several instances share the payments.
import { postgresStore, sqliteStore } from '@paybridge/store-sql';

export const singleMachine = sqliteStore({ filename: './data/payments.db' });

export const shared = postgresStore({
  connectionString: process.env.DATABASE_URL!,
  schema: 'payments', // created when missing
});

// Apply pending migrations at start-up, so a bad database fails now rather than at the first payment.
export async function openStores(): Promise<void> {
  await singleMachine.migrate();
  await shared.migrate();
}
