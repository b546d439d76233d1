import {
  type ApplyChangeRequest,
  type ApplyChangeResult,
  PaybridgeError,
  type Payment,
  type Transition,
} from '@paybridge/core';
import type { Kysely, Selectable } from 'kysely';
import type { SqlEngine } from './engine';
import { paymentToRow, refundRows, rowToPayment, transitionToRow } from './rows';
import type { Database, PaymentsTable } from './schema';
import { ForeignError } from './store-errors';

/** Lost a compare-and-set: another writer changed the payment since it was read. */
class CasConflict extends Error {}

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

/** One attempt: claim, read, compute, compare-and-set, record — all or nothing. */
function attempt(engine: SqlEngine, request: ApplyChangeRequest): Promise<ApplyChangeResult> {
  return engine.writeTransaction(async (trx) => {
    // Claim first, in a stable order: two instances claiming overlapping ids then lock them in the
    // same order (no deadlock), and the loser of a race on one id waits for the winner to commit
    // and then sees the conflict — the UNIQUE key decides, never a prior SELECT.
    const wanted = [...new Set(request.eventIds)].sort();
    const fresh = new Set<string>();
    if (wanted.length > 0) {
      const claimedAt = new Date().toISOString();
      const values = wanted.map((eventId) => ({
        event_id: eventId,
        payment_id: request.paymentId,
        claimed_at: claimedAt,
      }));
      const claimed = await engine.statements.execute(
        trx,
        `claim-events:${values.length}`,
        values.flatMap((value) => [value.event_id, value.payment_id, value.claimed_at]),
        () =>
          trx
            .insertInto('paybridge_processed_events')
            .values(values)
            .onConflict((conflict) => conflict.column('event_id').doNothing())
            .returning('event_id'),
      );
      for (const row of claimed.rows) fresh.add(row.event_id);
    }
    const row = await selectPayment(engine, trx, request.paymentId);
    if (!row) {
      throw new PaybridgeError('UNKNOWN_PAYMENT', undefined, { details: { paymentId: request.paymentId } });
    }
    const current = rowToPayment(row);
    if (wanted.length > 0 && fresh.size === 0) {
      return { outcome: 'duplicate', payment: current, transitions: [] };
    }
    let change: ReturnType<ApplyChangeRequest['compute']>;
    try {
      change = request.compute(current, fresh);
    } catch (error) {
      // The caller's own failure: not a store failure, so it must not become STORE_UNAVAILABLE.
      throw new ForeignError(error);
    }
    // Unchanged still commits the claims: the fact was seen and a redelivery is a duplicate.
    if (!change) return { outcome: 'unchanged', payment: current, transitions: [] };
    if (change.payment.id !== current.id || change.payment.version !== current.version + 1) {
      throw new PaybridgeError(
        'CONFLICT',
        'A computed change must keep the id and increment the version by one',
      );
    }
    const { id: _id, created_at: _createdAt, ...columns } = paymentToRow(change.payment, engine.toBool);
    const updated = await engine.statements.execute(
      trx,
      `update-payment:${Object.keys(columns).join()}`,
      [...Object.values(columns), current.id, current.version],
      () =>
        trx
          .updateTable('paybridge_payments')
          .set(columns)
          .where('id', '=', current.id)
          .where('version', '=', current.version),
    );
    if (Number(updated.numAffectedRows ?? 0) !== 1) throw new CasConflict();
    await insertTransitions(engine, trx, change.transitions);
    await writeRefunds(trx, change.payment);
    return { outcome: 'applied', payment: change.payment, transitions: change.transitions };
  });
}

/**
 * Applies a change exactly once: each attempt is one transaction; the loser of a compare-and-set
 * (or a deadlock / serialization failure) rolls back, releasing its claims, and tries again on a
 * fresh read.
 */
export async function applyChange(
  engine: SqlEngine,
  request: ApplyChangeRequest,
  maxCasRetries: number,
): Promise<ApplyChangeResult> {
  for (let round = 0; ; round++) {
    try {
      return await attempt(engine, request);
    } catch (error) {
      const retryable = error instanceof CasConflict || engine.isTransient(error);
      if (!retryable) throw error;
      if (round >= maxCasRetries) {
        throw new PaybridgeError('CONFLICT', 'The payment kept changing concurrently; giving up', {
          details: { paymentId: request.paymentId, attempts: round + 1 },
        });
      }
      // Jittered backoff so that instances that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** round)));
    }
  }
}
