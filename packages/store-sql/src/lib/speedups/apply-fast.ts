import type { ApplyChangeRequest, ApplyChangeResult } from '@paybridge/core';
import type { SqlEngine } from '../engine';
import { changedColumns } from '../queries';
import { paymentToRow, transitionToRow } from '../rows';
import type { PaymentWrite } from './hot-sql';
import type { ReadSnapshots } from './read-snapshots';

/**
 * Writes one payment's change all or nothing: compare-and-set, claim every event id with a plain
 * INSERT, append the transitions. False when the compare-and-set matched no row (a stale row); an
 * id claimed before throws the UNIQUE violation.
 */
export type WritePayment = (write: PaymentWrite) => Promise<boolean>;

/**
 * The common case of `applyChange` in one write: the caller hands back the payment this store gave
 * it (a notification's backend has just read it: `expected`), and every event id is new. Then the
 * change is computed on the store's own snapshot of that read, and `writePayment` does the rest in
 * one write (PostgreSQL: one statement shared by the turn; SQLite: one transaction of the group
 * commit), without the read.
 *
 * It never decides anything on a guess. A stale row matches no row in the compare-and-set; an event
 * id already claimed violates its UNIQUE key, which aborts the whole write; either way nothing is
 * written and `null` sends the caller to the full path (claim what is new, read, compute, write),
 * which is the only one that decides duplicates, partial claims, refusals and refund rows.
 */
export async function applyFast(
  engine: SqlEngine,
  snapshots: ReadSnapshots,
  request: ApplyChangeRequest,
  writePayment: WritePayment,
): Promise<ApplyChangeResult | null> {
  const seen = snapshots.of(request.expected, request.paymentId);
  if (!seen) return null;
  const wanted = [...new Set(request.eventIds)].sort();
  let change: ReturnType<ApplyChangeRequest['compute']>;
  try {
    change = request.compute(seen.payment, new Set(wanted));
  } catch {
    // Maybe only because the row is stale: the full path computes again on a fresh read.
    return null;
  }
  if (!change) return null;
  if (change.payment.id !== seen.payment.id || change.payment.version !== seen.payment.version + 1)
    return null;
  const after = paymentToRow(change.payment, engine.toBool);
  // Refund rows are upserted by the full path alone.
  if (after.refunds !== seen.row.refunds) return null;
  try {
    const written = await writePayment({
      paymentId: seen.row.id,
      version: seen.row.version,
      set: changedColumns(seen.row, after),
      eventIds: wanted,
      transitions: change.transitions.map(transitionToRow),
    });
    if (!written) return null;
  } catch (error) {
    if (engine.isUniqueViolation(error) || engine.isTransient(error)) return null;
    throw error;
  }
  snapshots.keep(change.payment, after);
  return { outcome: 'applied', payment: change.payment, transitions: change.transitions };
}
