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

/** PostgreSQL types of the columns that are not `text` (unnest needs typed arrays). */
const CASTS: Record<string, string> = {
  amount: 'bigint',
  amount_authorized: 'bigint',
  amount_paid: 'bigint',
  amount_refunded: 'bigint',
  captures: 'jsonb',
  refunds: 'jsonb',
  buyer: 'jsonb',
  order_snapshot: 'jsonb',
  recurrence: 'jsonb',
  subscription: 'jsonb',
  broker_data: 'jsonb',
  effects: 'jsonb',
  test_mode: 'boolean',
  version: 'integer',
};

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

export interface PendingWrite {
  write: FastWrite;
  transitions: readonly Transition[];
}

/**
 * PostgreSQL: the writes of one event-loop turn that change the same columns share one statement
 * (`batcher.ts`), set-based on arrays, so its text is the same for any number of writes:
 *
 *   compare-and-set every payment (UPDATE … FROM unnest) → claim the event ids of the payments that
 *   matched → append their transitions, in order.
 *
 * Autocommit makes the statement one transaction: a failure of any (an event id claimed before)
 * aborts it whole, and each write then runs alone. Two writes of one payment never share a statement
 * (one statement cannot update a row twice): the second waits for the first.
 */
export function postgresFastWriter(engine: SqlEngine): (pending: PendingWrite) => Promise<boolean> {
  const table = (name: keyof Database) =>
    engine.schema ? `${quoted(engine.schema)}.${quoted(name)}` : quoted(name);
  const typed = (index: number, column: string) => `$${index}::${CASTS[column] ?? 'text'}[]`;

  /** The statement for writes setting `columns`: the same text for any number of writes. */
  const textFor = (columns: readonly string[]) => {
    let at = 0;
    const next = (column: string) => typed(++at, column);
    const write = `select * from unnest(${next('id')}, ${next('version')}, ${columns.map(next).join(', ')}) as w ("id", "expected_version", ${columns.map(quoted).join(', ')})`;
    const claims = `unnest(${next('event_id')}, ${next('payment_id')}) as c ("event_id", "payment_id")`;
    const claimedAt = `$${++at}::text`;
    const transitions = `unnest(${TRANSITION_COLUMNS.map(next).join(', ')}) with ordinality as t (${TRANSITION_COLUMNS.map(quoted).join(', ')}, "ord")`;
    return [
      `with updated as (update ${table('paybridge_payments')} as p set ${columns.map((c) => `${quoted(c)} = w.${quoted(c)}`).join(', ')}`,
      ` from (${write}) as w where p."id" = w."id" and p."version" = w."expected_version" returning p."id"),`,
      // No ON CONFLICT: an id claimed before fails the statement, and everything in it.
      ` claimed as (insert into ${table('paybridge_processed_events')} ("event_id", "payment_id", "claimed_at")`,
      ` select c."event_id", c."payment_id", ${claimedAt} from ${claims} where c."payment_id" in (select "id" from updated)),`,
      ` inserted as (insert into ${table('paybridge_transitions')} (${TRANSITION_COLUMNS.map(quoted).join(', ')})`,
      ` select ${TRANSITION_COLUMNS.map((c) => `t.${quoted(c)}`).join(', ')} from ${transitions}`,
      ` where t."payment_id" in (select "id" from updated) order by t."ord")`,
      ` select coalesce(array_agg("id"), '{}') as "updated" from updated`,
    ].join('');
  };

  /** Runs writes that all set `columns` (one shape) as the statement `text`. */
  const statement = async (
    columns: readonly string[],
    text: string,
    batch: readonly PendingWrite[],
  ): Promise<boolean[]> => {
    const transitionRows = batch.flatMap(({ transitions }) => transitions.map(transitionToRow));
    const claims = batch.flatMap(({ write }) => write.eventIds.map((eventId) => [eventId, write.paymentId]));
    const parameters: unknown[] = [
      batch.map(({ write }) => write.paymentId),
      batch.map(({ write }) => write.version),
      ...columns.map((column) => batch.map(({ write }) => write.set[column as keyof PaymentRow])),
      claims.map(([eventId]) => eventId),
      claims.map(([, paymentId]) => paymentId),
      new Date().toISOString(),
      ...TRANSITION_COLUMNS.map((column) => transitionRows.map((row) => row[column])),
    ];
    const result = await engine.db.executeQuery<{ updated: string[] }>(CompiledQuery.raw(text, parameters));
    const updated = new Set(result.rows[0]?.updated ?? []);
    return batch.map(({ write }) => updated.has(write.paymentId));
  };
  // One batcher, and one statement text, per set of changed columns.
  const writers = new Map<string, (pending: PendingWrite) => Promise<boolean>>();
  return (pending) => {
    const columns = Object.keys(pending.write.set);
    const shape = columns.join();
    let writer = writers.get(shape);
    if (!writer) {
      const text = textFor(columns);
      writer = batcher<PendingWrite, boolean>({
        runBatch: (batch) => statement(columns, text, batch),
        key: (one) => one.write.paymentId,
        runOne: async (one) => (await statement(columns, text, [one]))[0] as boolean,
        maxBatch: 50,
      });
      writers.set(shape, writer);
    }
    return writer(pending);
  };
}

/** The columns of a transition row, in `transitionToRow`'s order (its keys do not depend on the values). */
const TRANSITION_COLUMNS = Object.keys(
  transitionToRow({
    id: '',
    paymentId: '',
    from: 'new',
    to: 'new',
    cause: '',
    eventId: null,
    amountPaid: 0,
    amountRefunded: 0,
    at: '',
    effects: [],
  }),
) as ReadonlyArray<keyof ReturnType<typeof transitionToRow>>;
