import type { ApplyChangeRequest, ApplyChangeResult, Payment } from '@paybridge/core';
import type { Kysely } from 'kysely';
import type { SqlEngine } from '../engine';
import { kyselyQueries, type PaymentRecord, type StoreQueries } from '../queries';
import { type PaymentRow, rowToPayment } from '../rows';
import type { Database } from '../schema';

/**
 * The one door between the plain store (sql-store.ts and the files it uses: every statement a
 * Kysely query) and a dialect's speed-ups. The store runs on `plain(engine)` as it is; a dialect
 * may hand it faster versions of the same steps, each answering exactly as the plain one does:
 *
 * - `queries`: the hot statements as raw SQL written once (hot-sql.ts), without Kysely's query
 *   building; SQLite runs them straight on its connection (sqlite-speedups.ts), PostgreSQL shares
 *   one statement between the callers of one event-loop turn (postgres-speedups.ts).
 * - `writeTransaction` / `write`: SQLite's group commit (group-commit.ts).
 * - `handOut` / `remember` / `applyChange`: applyChange in one write on what this store last read
 *   or wrote for the payment the caller hands back (apply-fast.ts), `null` sending it to the full
 *   path (apply-change.ts), which alone decides duplicates, refusals and refunds.
 *
 * The store's tests run the conformance suites on the plain layer and on each dialect's speed-ups.
 */
export interface Speedups {
  readonly queries: StoreQueries;
  writeTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  write<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** The payment of a row the store read, about to be handed out. */
  handOut(row: PaymentRecord): Payment;
  /** A payment the store wrote (its row as written, when known), about to be handed out. */
  remember(payment: Payment, row?: PaymentRow): Payment;
  /** applyChange in one write, or `null`: nothing was written, take the full path. */
  applyChange(request: ApplyChangeRequest): Promise<ApplyChangeResult | null>;
}

/** No speed-ups: the plain Kysely queries and the engine's own transactions. */
export function plain(engine: SqlEngine): Speedups {
  return {
    queries: kyselyQueries,
    writeTransaction: (fn) => engine.writeTransaction(fn),
    write: (fn) => engine.write(fn),
    handOut: (row) => rowToPayment(row),
    remember: (payment) => payment,
    applyChange: async () => null,
  };
}
