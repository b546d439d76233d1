import type { Payment } from '@paybridge/core';
import { creationTransition } from '@paybridge/core/testing';
import type { SqlEngine } from '../../src/lib/engine';
import { MIGRATIONS } from '../../src/lib/migrations';
import { runMigrations } from '../../src/lib/migrator';
import { type PaymentRow, paymentToRow, transitionToRow } from '../../src/lib/rows';

/** The schema version before this one: 2, before `refund_open` (migration 3). */
export const EARLIER_MIGRATIONS = MIGRATIONS.filter((migration) => migration.version <= 2);

/**
 * A database as the previous version left it: migrated to version 2, its payments written as that
 * version wrote them (no `refund_open` column yet). Closes `engine`; the caller opens a store on it.
 */
export async function writeWithEarlierSchema(engine: SqlEngine, payments: readonly Payment[]): Promise<void> {
  try {
    await runMigrations(engine, EARLIER_MIGRATIONS);
    await engine.writeTransaction(async (trx) => {
      for (const payment of payments) {
        const { refund_open: _, ...row } = paymentToRow(payment, engine.toBool);
        await trx
          .insertInto('paybridge_payments')
          .values(row as PaymentRow)
          .execute();
        await trx
          .insertInto('paybridge_transitions')
          .values(transitionToRow(creationTransition(payment)))
          .execute();
      }
    });
  } finally {
    await engine.close();
  }
}
