import { type ApplyChangeRequest, type ApplyChangeResult, PaybridgeError } from '@paybridge/core';
import type { SqlEngine } from './engine';
import { changedColumns, writeRefunds } from './queries';
import { paymentToRow, rowToPayment, transitionToRow } from './rows';
import type { Speedups } from './speedups/speedups';
import { ForeignError } from './store-errors';

/** Lost a compare-and-set: another writer changed the payment since it was read. */
class CasConflict extends Error {}

/** One attempt: claim, read, compute, compare-and-set, record — all or nothing. */
function attempt(
  engine: SqlEngine,
  { queries, writeTransaction }: Speedups,
  request: ApplyChangeRequest,
): Promise<ApplyChangeResult> {
  return writeTransaction(async (trx) => {
    // Claim first, in a stable order: two instances claiming overlapping ids then lock them in the
    // same order (no deadlock), and the loser of a race on one id waits for the winner to commit
    // and then sees the conflict — the UNIQUE key decides, never a prior SELECT.
    const wanted = [...new Set(request.eventIds)].sort();
    const fresh = new Set(
      wanted.length > 0
        ? await queries.claimEvents(trx, request.paymentId, wanted, new Date().toISOString())
        : [],
    );
    const row = await queries.selectPayment(trx, request.paymentId);
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
    const set = changedColumns(
      paymentToRow(current, engine.toBool),
      paymentToRow(change.payment, engine.toBool),
    );
    if (!(await queries.updatePayment(trx, current.id, current.version, set))) throw new CasConflict();
    await queries.insertTransitions(trx, change.transitions.map(transitionToRow));
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
  speedups: Speedups,
  request: ApplyChangeRequest,
  maxCasRetries: number,
): Promise<ApplyChangeResult> {
  for (let round = 0; ; round++) {
    try {
      return await attempt(engine, speedups, request);
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
