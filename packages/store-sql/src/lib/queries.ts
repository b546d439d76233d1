import type { Payment, PaymentQuery } from '@paybridge/core';
import { type Kysely, type Selectable, sql } from 'kysely';
import { literalLimit } from './paging';
import { type PaymentRow, refundRows, type TransitionRow } from './rows';
import type { Database, MessagesTable, PaymentsTable } from './schema';

export type PaymentRecord = Selectable<PaymentsTable>;
export type MessageRow = Omit<MessagesTable, 'seq'>;
export type PaymentFilter = Pick<
  PaymentQuery,
  'orderId' | 'backend' | 'status' | 'expiresBefore' | 'createdBefore' | 'refundOpen'
>;

/**
 * The store's hot statements: the ones every notification, start and payment page runs. `db` is the
 * pool or a transaction. `kyselyQueries` below is the reference; a dialect's speed-ups may answer
 * them with raw SQL of their own (speedups/hot-sql.ts), and must answer exactly as these do.
 */
export interface StoreQueries {
  insertPayment(db: Kysely<Database>, row: PaymentRow): Promise<void>;
  selectPayment(db: Kysely<Database>, id: string): Promise<PaymentRecord | undefined>;
  /** The payment that most recently took this external id, as memoryStore's index answers. */
  findByExternalId(
    db: Kysely<Database>,
    backend: string,
    externalId: string,
  ): Promise<PaymentRecord | undefined>;
  /** Newest first by (created_at, id), as memoryStore orders them; keyset paging after `after`. */
  listPayments(
    db: Kysely<Database>,
    filter: PaymentFilter,
    after: readonly [createdAt: string, id: string] | null,
    rows: number,
  ): Promise<PaymentRecord[]>;
  /** Claims the event ids not claimed before (UNIQUE key decides); returns those it claimed. */
  claimEvents(
    db: Kysely<Database>,
    paymentId: string,
    eventIds: readonly string[],
    claimedAt: string,
  ): Promise<string[]>;
  /** The compare-and-set of a payment's changed columns; true when the version was still `version`. */
  updatePayment(
    db: Kysely<Database>,
    id: string,
    version: number,
    set: Partial<PaymentRow>,
  ): Promise<boolean>;
  insertTransitions(db: Kysely<Database>, rows: readonly TransitionRow[]): Promise<void>;
  insertMessage(db: Kysely<Database>, row: MessageRow): Promise<void>;
  /** Whether a message with this id was there to update. */
  updateMessage(db: Kysely<Database>, id: string, set: Partial<MessageRow>): Promise<boolean>;
  markEmitted(db: Kysely<Database>, ids: readonly string[], emittedAt: string): Promise<void>;
}

export const kyselyQueries: StoreQueries = {
  async insertPayment(db, row) {
    await db.insertInto('paybridge_payments').values(row).execute();
  },

  selectPayment: (db, id) =>
    db.selectFrom('paybridge_payments').selectAll().where('id', '=', id).executeTakeFirst(),

  findByExternalId: (db, backend, externalId) =>
    db
      .selectFrom('paybridge_payments')
      .selectAll()
      .where('backend', '=', backend)
      .where('external_id', '=', externalId)
      .orderBy('seq', 'desc')
      .limit(literalLimit(1))
      .executeTakeFirst(),

  listPayments: listPaymentRows,

  async claimEvents(db, paymentId, eventIds, claimedAt) {
    const claimed = await db
      .insertInto('paybridge_processed_events')
      .values(
        eventIds.map((eventId) => ({ event_id: eventId, payment_id: paymentId, claimed_at: claimedAt })),
      )
      .onConflict((conflict) => conflict.column('event_id').doNothing())
      .returning('event_id')
      .execute();
    return claimed.map((row) => row.event_id);
  },

  async updatePayment(db, id, version, set) {
    const updated = await db
      .updateTable('paybridge_payments')
      .set(set)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  },

  async insertTransitions(db, rows) {
    if (rows.length > 0)
      await db
        .insertInto('paybridge_transitions')
        .values([...rows])
        .execute();
  },

  async insertMessage(db, row) {
    await db.insertInto('paybridge_messages').values(row).execute();
  },

  async updateMessage(db, id, set) {
    const updated = await db
      .updateTable('paybridge_messages')
      .set(set)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) > 0;
  },

  async markEmitted(db, ids, emittedAt) {
    await db
      .updateTable('paybridge_transitions')
      .set({ emitted_at: emittedAt })
      .where('id', 'in', [...ids])
      .where('emitted_at', 'is', null)
      .execute();
  },
};

/** A page of payments (the speed-ups' twin is hot-sql.ts's paymentPage: `POST /start` reads one per order). */
export function listPaymentRows(
  db: Kysely<Database>,
  filter: PaymentFilter,
  after: readonly [createdAt: string, id: string] | null,
  rows: number,
): Promise<PaymentRecord[]> {
  return paymentPageQuery(db, filter, after, rows).execute();
}

/** The query behind `listPaymentRows`, unexecuted (its plan is checked in the tests). */
export function paymentPageQuery(
  db: Kysely<Database>,
  filter: PaymentFilter,
  after: readonly [createdAt: string, id: string] | null,
  rows: number,
) {
  let select = db.selectFrom('paybridge_payments').selectAll();
  if (filter.orderId !== undefined) select = select.where('order_id', '=', filter.orderId);
  if (filter.backend !== undefined) select = select.where('backend', '=', filter.backend);
  if (filter.status !== undefined) select = select.where('status', '=', filter.status);
  if (filter.expiresBefore !== undefined) select = select.where('expires_at', '<', filter.expiresBefore);
  if (filter.createdBefore !== undefined) select = select.where('created_at', '<', filter.createdBefore);
  // The partial index's own condition, as a literal: SQLite uses a partial index only for a query
  // whose WHERE names that very term (a bound parameter would not match).
  if (filter.refundOpen) select = select.where(sql.ref('refund_open'), '=', sql.lit(true));
  if (after !== null) {
    const [createdAt, id] = after;
    select = select.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  return select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(literalLimit(rows));
}

/** Upserts the payment's refund ledger into the refunds table (the full path of applyChange alone). */
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
