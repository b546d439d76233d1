import type { Kysely, QueryResult } from 'kysely';
import type { MessageRow, PaymentRecord, StoreQueries } from '../queries';
import type { Database } from '../schema';
import type { HotSql, Statement } from './hot-sql';

/** Runs a statement on `db` (the pool or a transaction): the dialect decides how. */
export type RunStatement = <R>(db: Kysely<Database>, statement: Statement) => Promise<QueryResult<R>>;

/** The store's hot queries as the raw statements of hot-sql.ts, run by `run`. */
export function rawQueries(sql: HotSql, run: RunStatement): StoreQueries {
  const rows = async <R>(db: Kysely<Database>, statement: Statement) => (await run<R>(db, statement)).rows;
  const changed = async (db: Kysely<Database>, statement: Statement) =>
    Number((await run(db, statement)).numAffectedRows ?? 0);
  return {
    insertPayment: async (db, row) => {
      await run(db, sql.insertPayment(row));
    },
    selectPayment: async (db, id) => (await rows<PaymentRecord>(db, sql.selectPayment(id)))[0],
    findByExternalId: async (db, backend, externalId) =>
      (await rows<PaymentRecord>(db, sql.findByExternalId(backend, externalId)))[0],
    listPayments: async (db, filter, after, limit) =>
      rows<PaymentRecord>(db, sql.paymentPage(filter, after, limit)),
    claimEvents: async (db, paymentId, eventIds, claimedAt) =>
      (await rows<{ event_id: string }>(db, sql.claimEvents(paymentId, eventIds, claimedAt))).map(
        (row) => row.event_id,
      ),
    updatePayment: async (db, id, version, set) =>
      (await changed(db, sql.updatePayment(id, version, set))) === 1,
    insertTransitions: async (db, transitions) => {
      if (transitions.length > 0) await run(db, sql.insertTransitions(transitions));
    },
    insertMessage: async (db, row: MessageRow) => {
      await run(db, sql.insertMessage(row));
    },
    updateMessage: async (db, id, set) => (await changed(db, sql.updateMessage(id, set))) > 0,
    markEmitted: async (db, ids, emittedAt) => {
      await run(db, sql.markEmitted(ids, emittedAt));
    },
  };
}
