import { CompiledQuery } from 'kysely';
import type { SqlEngine } from '../engine';
import type { MessageRow, PaymentRecord } from '../queries';
import { rowToPayment } from '../rows';
import { applyFast, type WritePayment } from './apply-fast';
import { batcher } from './batcher';
import { hotSql, type PaymentWrite } from './hot-sql';
import { type RunStatement, rawQueries } from './raw-queries';
import { readSnapshots } from './read-snapshots';
import type { Speedups } from './speedups';

/**
 * PostgreSQL's speed-ups. Each statement is a network round trip and, for a write, a commit, so the
 * single-statement steps of a notification run on the pool are shared between the callers of one
 * event-loop turn (`batcher.ts`): one set-based statement per turn (hot-sql.ts), each caller its own
 * answer. Inside a transaction the hot statements run as written, without Kysely's query building.
 * applyChange writes on what the store last read (apply-fast.ts), in one statement shared the same way.
 */
export function postgresSpeedups(engine: SqlEngine): Speedups {
  const { db } = engine;
  const sql = hotSql('postgres', engine.schema);
  const set = sql.postgres;
  const plain = rawQueries(sql, run);

  const insertMessages = batcher<MessageRow, void>({
    runBatch: async (rows) => {
      await run(db, set.insertMessages(rows));
      return rows.map(() => undefined);
    },
    runOne: (row) => plain.insertMessage(db, row),
  });
  interface MessageUpdate {
    id: string;
    set: Partial<MessageRow>;
  }
  // One batcher per shape of update (the set of columns), so that one statement fits all its items.
  const messageUpdates = shaped<MessageUpdate, boolean>(
    (update) => Object.keys(update.set),
    (columns) => ({
      runBatch: async (updates) => {
        const found = await run<{ id: string }>(db, set.updateMessages(columns, updates));
        const ids = new Set(found.rows.map((row) => row.id));
        return updates.map((update) => ids.has(update.id));
      },
      // The same message twice in one turn: one after the other, in the order they came.
      key: (one) => one.id,
      runOne: (one) => plain.updateMessage(db, one.id, one.set),
    }),
  );
  const markEmitted = batcher<{ ids: readonly string[]; emittedAt: string }, void>({
    runBatch: async (marks) => {
      const ids = [...new Set(marks.flatMap((mark) => mark.ids))];
      await run(db, set.markEmitted(ids, marks[0]?.emittedAt ?? new Date().toISOString()));
      return marks.map(() => undefined);
    },
    runOne: ({ ids, emittedAt }) => plain.markEmitted(db, ids, emittedAt),
  });
  const selectPayments = batcher<string, PaymentRecord | undefined>({
    runBatch: async (ids) => {
      const found = await run<PaymentRecord>(db, set.selectPayments([...new Set(ids)]));
      const byId = new Map(found.rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id));
    },
    runOne: (id) => plain.selectPayment(db, id),
  });
  const writePayment = postgresPaymentWrites(engine);
  const snapshots = readSnapshots(engine.toBool);
  return {
    // On the pool, the shared statements; inside a transaction, one statement each.
    queries: {
      ...plain,
      selectPayment: (handle, id) => (handle === db ? selectPayments(id) : plain.selectPayment(handle, id)),
      insertMessage: (handle, row) =>
        handle === db ? insertMessages(row) : plain.insertMessage(handle, row),
      updateMessage: (handle, id, changes) =>
        handle === db ? messageUpdates({ id, set: changes }) : plain.updateMessage(handle, id, changes),
      markEmitted: (handle, ids, emittedAt) =>
        handle === db ? markEmitted({ ids, emittedAt }) : plain.markEmitted(handle, ids, emittedAt),
    },
    writeTransaction: (fn) => engine.writeTransaction(fn),
    write: (fn) => engine.write(fn),
    // pg hands back parsed JSON shared with the payment object: the snapshot serialises it afresh.
    handOut: (row) => snapshots.keep(rowToPayment(row)),
    remember: (payment, row) => snapshots.keep(payment, row),
    applyChange: (request) => applyFast(engine, snapshots, request, writePayment),
  };
}

/**
 * The payment writes of one turn that set the same columns share one statement (hot-sql.ts's
 * `paymentWrites`). A failure of any (an event id claimed before) aborts it whole, and each write
 * then runs alone. Two writes of one payment never share a statement (one statement cannot update a
 * row twice): the second waits for the first.
 */
export function postgresPaymentWrites(engine: SqlEngine): WritePayment {
  const { paymentWrites } = hotSql('postgres', engine.schema).postgres;
  return shaped<PaymentWrite, boolean>(
    (write) => Object.keys(write.set),
    (columns) => {
      const statement = paymentWrites(columns);
      const runBatch = async (writes: readonly PaymentWrite[]) => {
        const result = await run<{ updated: string[] }>(
          engine.db,
          statement(writes, new Date().toISOString()),
        );
        const updated = new Set(result.rows[0]?.updated ?? []);
        return writes.map((write) => updated.has(write.paymentId));
      };
      return {
        runBatch,
        key: (one) => one.paymentId,
        runOne: async (one) => (await runBatch([one]))[0] as boolean,
        maxBatch: 50,
      };
    },
  );
}

/** Statements run as written, through Kysely's executor (no query building). */
const run: RunStatement = (handle, statement) =>
  handle.executeQuery(CompiledQuery.raw(statement.sql, statement.parameters));

/** One batcher per shape (the columns an item sets), so that one statement text fits its whole batch. */
function shaped<I, O>(
  columnsOf: (item: I) => string[],
  options: (columns: readonly string[]) => Parameters<typeof batcher<I, O>>[0],
): (item: I) => Promise<O> {
  const batchers = new Map<string, (item: I) => Promise<O>>();
  return (item) => {
    const columns = columnsOf(item);
    const shape = columns.join();
    let run = batchers.get(shape);
    if (!run) {
      run = batcher(options(columns));
      batchers.set(shape, run);
    }
    return run(item);
  };
}
