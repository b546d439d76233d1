import type { Payment, Transition } from '@paybridge/core';
import type { Kysely, Selectable } from 'kysely';
import type { SqlEngine } from './engine';
import { type PaymentRow, refundRows, transitionToRow } from './rows';
import type { Database, PaymentsTable } from './schema';

/** The statements that write a payment's change, shared by the full and the fast path of applyChange. */

export async function insertTransitions(
  engine: SqlEngine,
  trx: Kysely<Database>,
  transitions: readonly Transition[],
): Promise<void> {
  if (transitions.length === 0) return;
  const rows = transitions.map(transitionToRow);
  await engine.statements.execute(
    trx,
    `insert-transitions:${rows.length}:${Object.keys(rows[0] as object).join()}`,
    rows.flatMap((row) => Object.values(row)),
    () => trx.insertInto('paybridge_transitions').values(rows),
  );
}

/** The payment row by id (inside a transaction, or on the pool). */
export async function selectPayment(
  engine: SqlEngine,
  db: Kysely<Database>,
  id: string,
): Promise<Selectable<PaymentsTable> | undefined> {
  const result = await engine.statements.execute(db, 'select-payment', [id], () =>
    db.selectFrom('paybridge_payments').selectAll().where('id', '=', id),
  );
  return result.rows[0];
}

export async function writeRefunds(trx: Kysely<Database>, payment: Payment): Promise<void> {
  const rows = refundRows(payment);
  if (rows.length === 0) return;
  await trx
    .insertInto('paybridge_refunds')
    .values(rows)
    .onConflict((conflict) =>
      conflict.columns(['payment_id', 'refund_id']).doUpdateSet((eb) => ({
        kind: eb.ref('excluded.kind'),
        amount: eb.ref('excluded.amount'),
        status: eb.ref('excluded.status'),
        reason: eb.ref('excluded.reason'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Columns of `after` that differ from `before`: fewer bytes to write and fewer indexes to touch. */
export function changedColumns(before: PaymentRow, after: PaymentRow): Partial<PaymentRow> {
  const set: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(after)) {
    if (column === 'id' || column === 'created_at') continue;
    if (value !== before[column as keyof PaymentRow]) set[column] = value;
  }
  return set as Partial<PaymentRow>;
}

/** The compare-and-set of a payment's changed columns; true when it matched (the version was still `version`). */
export async function updatePayment(
  engine: SqlEngine,
  trx: Kysely<Database>,
  id: string,
  version: number,
  set: Partial<PaymentRow>,
): Promise<boolean> {
  const updated = await engine.statements.execute(
    trx,
    `update-payment:${Object.keys(set).join()}`,
    [...Object.values(set), id, version],
    () => trx.updateTable('paybridge_payments').set(set).where('id', '=', id).where('version', '=', version),
  );
  return Number(updated.numAffectedRows ?? 0) === 1;
}
