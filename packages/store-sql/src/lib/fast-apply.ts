import type { ApplyChangeRequest, ApplyChangeResult, Transition } from '@paybridge/core';
import { CompiledQuery } from 'kysely';
import { batcher } from './batcher';
import type { SqlEngine } from './engine';
import { changedColumns, insertTransitions, updatePayment } from './payment-writes';
import type { ReadSnapshots } from './read-snapshots';
import { type PaymentRow, paymentToRow, transitionToRow } from './rows';
import type { Database } from './schema';

/**
 * The common case of `applyChange` in one write: the caller hands back the payment this store gave
 * it (a notification's backend has just read it: `expected`), and every event id is new. Then the
 * change is computed on the store's own snapshot of that read, and one all-or-nothing write does
 * the rest:
 *
 *   compare-and-set the changed columns (version = the row's) → claim every event id with a plain
 *   INSERT → append the transitions.
 *
 * On PostgreSQL that is one statement (data-modifying CTEs, autocommit: one round trip instead of
 * six); on SQLite one transaction of the group commit, without the read.
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
  /** PostgreSQL's shared statement writer (`postgresFastWriter`); SQLite writes in a transaction. */
  postgresWriter?: (pending: PendingWrite) => Promise<boolean>,
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
  const set = changedColumns(seen.row, after);
  const write = { paymentId: seen.row.id, version: seen.row.version, set, eventIds: wanted };
  try {
    if (postgresWriter) {
      if (!(await postgresWriter({ write, transitions: change.transitions }))) throw new FastPathMiss();
    } else {
      await writeInOneTransaction(engine, write, change.transitions);
    }
  } catch (error) {
    if (error instanceof FastPathMiss || engine.isUniqueViolation(error) || engine.isTransient(error)) {
      return null;
    }
    throw error;
  }
  snapshots.keep(change.payment, after);
  return { outcome: 'applied', payment: change.payment, transitions: change.transitions };
}

/** The compare-and-set matched no row: the payment changed since this store saw it. */
class FastPathMiss extends Error {}

export interface FastWrite {
  paymentId: string;
  version: number;
  /** Only the columns that differ from the row as seen (the version always does). */
  set: Partial<PaymentRow>;
  eventIds: readonly string[];
}

async function writeInOneTransaction(
  engine: SqlEngine,
  write: FastWrite,
  transitions: readonly Transition[],
): Promise<void> {
  await engine.writeTransaction(async (trx) => {
    if (!(await updatePayment(engine, trx, write.paymentId, write.version, write.set)))
      throw new FastPathMiss();
    if (write.eventIds.length > 0) {
      const claimedAt = new Date().toISOString();
      const values = write.eventIds.map((eventId) => ({
        event_id: eventId,
        payment_id: write.paymentId,
        claimed_at: claimedAt,
      }));
      // No ON CONFLICT: an id claimed before fails the statement, and the transaction with it.
      await engine.statements.execute(
        trx,
        `claim-all-events:${values.length}`,
        values.flatMap((value) => [value.event_id, value.payment_id, value.claimed_at]),
        () => trx.insertInto('paybridge_processed_events').values(values),
      );
    }
    await insertTransitions(engine, trx, transitions);
  });
}

const TRANSITION_CASTS: Record<string, string> = {
  amount_paid: 'bigint',
  amount_refunded: 'bigint',
  effects: 'jsonb',
};

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

export interface PendingWrite {
  write: FastWrite;
  transitions: readonly Transition[];
}

/**
 * PostgreSQL: each write as one chain of data-modifying CTEs (update → claim → transitions, the
 * last two only when the update matched); autocommit makes the statement one transaction. Writes of
 * one event-loop turn share a statement, one chain each (`batcher.ts`): a failure of any (an event id
 * claimed before) aborts it whole, and each then runs alone. Two writes of one payment never share
 * a statement (one statement cannot update a row twice): the second waits for the first.
 */
export function postgresFastWriter(engine: SqlEngine): (pending: PendingWrite) => Promise<boolean> {
  const table = (name: keyof Database) =>
    engine.schema ? `${quoted(engine.schema)}.${quoted(name)}` : quoted(name);
  const statement = async (batch: readonly PendingWrite[]): Promise<boolean[]> => {
    const parameters: unknown[] = [];
    const parameter = (value: unknown, cast?: string) => {
      parameters.push(value);
      return cast ? `$${parameters.length}::${cast}` : `$${parameters.length}`;
    };
    const claimedAt = new Date().toISOString();
    const parts: string[] = [];
    batch.forEach(({ write, transitions }, index) => {
      const updated = `updated_${index}`;
      const assignments = Object.entries(write.set).map(
        ([column, value]) => `${quoted(column)} = ${parameter(value)}`,
      );
      parts.push(
        `${updated} as (update ${table('paybridge_payments')} set ${assignments.join(', ')} where "id" = ${parameter(write.paymentId, 'text')} and "version" = ${parameter(write.version, 'integer')} returning "id")`,
      );
      if (write.eventIds.length > 0) {
        // No ON CONFLICT: an id claimed before fails the statement, and everything in it.
        parts.push(
          `claimed_${index} as (insert into ${table('paybridge_processed_events')} ("event_id", "payment_id", "claimed_at") select event_id, ${parameter(write.paymentId, 'text')}, ${parameter(claimedAt, 'text')} from unnest(${parameter([...write.eventIds], 'text[]')}) as event_id where exists (select 1 from ${updated}) returning "event_id")`,
        );
      }
      if (transitions.length > 0) {
        const rows = transitions.map(transitionToRow);
        const columns = Object.keys(rows[0] as object)
          .map(quoted)
          .join(', ');
        const values = rows.map(
          (row) =>
            `(${Object.entries(row)
              .map(([column, value]) => parameter(value, TRANSITION_CASTS[column] ?? 'text'))
              .join(', ')})`,
        );
        parts.push(
          `inserted_${index} as (insert into ${table('paybridge_transitions')} (${columns}) select * from (values ${values.join(', ')}) as v (${columns}) where exists (select 1 from ${updated}) returning "id")`,
        );
      }
    });
    const counts = batch.map((_, index) => `(select count(*) from updated_${index})::int as "u${index}"`);
    const text = `with ${parts.join(', ')} select ${counts.join(', ')}`;
    const result = await engine.db.executeQuery<Record<string, number>>(CompiledQuery.raw(text, parameters));
    const row = result.rows[0] ?? {};
    return batch.map((_, index) => row[`u${index}`] === 1);
  };
  return batcher<PendingWrite, boolean>({
    runBatch: statement,
    key: (pending) => pending.write.paymentId,
    runOne: async (pending) => (await statement([pending]))[0] as boolean,
    maxBatch: 50,
  });
}
