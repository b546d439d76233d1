import { type ColumnBuilderCallback, type CreateTableBuilder, type Kysely, sql } from 'kysely';
import type { ColumnTypes } from './engine';
import type { Database } from './schema';

/**
 * A schema change. Versions are applied in order, each once, recorded in `paybridge_migrations`.
 * Never edit a released migration: add the next version.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<Database>, columns: ColumnTypes): Promise<void>;
}

// Kysely's builder types each column name it adds; the helpers below add columns generically.
// biome-ignore lint/suspicious/noExplicitAny: a table builder whose column names are not known yet
type AnyTable = CreateTableBuilder<any, any>;

/** NOT NULL: most columns are required. */
export const required: ColumnBuilderCallback = (col) => col.notNull();

function withIdentity(table: AnyTable, columns: ColumnTypes): AnyTable {
  return columns.identity === 'postgres'
    ? table.addColumn('seq', 'bigint', (col) => col.generatedByDefaultAsIdentity().primaryKey())
    : table.addColumn('seq', 'integer', (col) => col.primaryKey().autoIncrement());
}

const initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db, columns) {
    const { money, json, bool } = columns;

    await withIdentity(db.schema.createTable('paybridge_payments'), columns)
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('order_id', 'text', required)
      .addColumn('backend', 'text', required)
      .addColumn('amount', money, required)
      .addColumn('currency', 'text', required)
      .addColumn('status', 'text', required)
      .addColumn('amount_authorized', money, required)
      .addColumn('amount_paid', money, required)
      .addColumn('amount_refunded', money, required)
      .addColumn('captures', json, required)
      .addColumn('refunds', json, required)
      .addColumn('external_id', 'text')
      .addColumn('description', 'text', required)
      .addColumn('buyer', json, required)
      .addColumn('order_snapshot', json, required)
      .addColumn('recurrence', json)
      .addColumn('parent_payment_id', 'text')
      .addColumn('subscription', json)
      .addColumn('broker_data', json, required)
      .addColumn('success_url', 'text')
      .addColumn('failure_url', 'text')
      .addColumn('test_mode', bool, required)
      .addColumn('created_at', 'text', required)
      .addColumn('updated_at', 'text', required)
      .addColumn('expires_at', 'text')
      .addColumn('version', 'integer', required)
      .addCheckConstraint('paybridge_payments_amounts', sql`amount_paid >= 0 and amount_refunded >= 0`)
      .execute();
    await db.schema
      .createIndex('paybridge_payments_order')
      .on('paybridge_payments')
      .columns(['order_id', 'created_at'])
      .execute();
    // listPayments pages newest first on (created_at, id).
    await db.schema
      .createIndex('paybridge_payments_created')
      .on('paybridge_payments')
      .columns(['created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('paybridge_payments_external')
      .on('paybridge_payments')
      .columns(['backend', 'external_id'])
      .execute();
    await db.schema
      .createIndex('paybridge_payments_status')
      .on('paybridge_payments')
      .columns(['status', 'expires_at'])
      .execute();

    await withIdentity(db.schema.createTable('paybridge_transitions'), columns)
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('payment_id', 'text', (col) =>
        col.notNull().references('paybridge_payments.id').onDelete('cascade'),
      )
      .addColumn('from_status', 'text', required)
      .addColumn('to_status', 'text', required)
      .addColumn('cause', 'text', required)
      .addColumn('event_id', 'text')
      .addColumn('amount_paid', money, required)
      .addColumn('amount_refunded', money, required)
      .addColumn('at', 'text', required)
      .addColumn('effects', json, required)
      .addColumn('emitted_at', 'text')
      .execute();
    await db.schema
      .createIndex('paybridge_transitions_payment')
      .on('paybridge_transitions')
      .columns(['payment_id', 'seq'])
      .execute();
    // Partial index: the outbox query only ever looks at the few rows not yet emitted.
    await db.schema
      .createIndex('paybridge_transitions_unemitted')
      .on('paybridge_transitions')
      .column('seq')
      .where(sql.ref('emitted_at'), 'is', null)
      .execute();

    // The primary key on event_id IS the dedupe: claiming is an INSERT that either wins or conflicts.
    await db.schema
      .createTable('paybridge_processed_events')
      .addColumn('event_id', 'text', (col) => col.primaryKey())
      .addColumn('payment_id', 'text', required)
      .addColumn('claimed_at', 'text', required)
      .execute();
    await db.schema
      .createIndex('paybridge_processed_events_payment')
      .on('paybridge_processed_events')
      .column('payment_id')
      .execute();

    await db.schema
      .createTable('paybridge_refunds')
      .addColumn('payment_id', 'text', (col) =>
        col.notNull().references('paybridge_payments.id').onDelete('cascade'),
      )
      .addColumn('refund_id', 'text', required)
      .addColumn('kind', 'text', required)
      .addColumn('amount', money, required)
      .addColumn('status', 'text', required)
      .addColumn('reason', 'text')
      .addColumn('created_at', 'text', required)
      .addColumn('updated_at', 'text', required)
      .addPrimaryKeyConstraint('paybridge_refunds_pk', ['payment_id', 'refund_id'])
      .execute();

    await withIdentity(db.schema.createTable('paybridge_messages'), columns)
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('direction', 'text', required)
      .addColumn('backend', 'text', required)
      .addColumn('kind', 'text', required)
      .addColumn('method', 'text', required)
      .addColumn('url', 'text', required)
      .addColumn('headers', json, required)
      .addColumn('body', 'text', required)
      .addColumn('body_encoding', 'text', required)
      .addColumn('verdict', 'text')
      .addColumn('outcome', 'text')
      .addColumn('response_status', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('payment_id', 'text')
      .addColumn('detail', 'text')
      .addColumn('duration_ms', 'integer')
      .addColumn('created_at', 'text', required)
      .addColumn('updated_at', 'text', required)
      .execute();
    await db.schema
      .createIndex('paybridge_messages_payment')
      .on('paybridge_messages')
      .columns(['payment_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('paybridge_messages_backend')
      .on('paybridge_messages')
      .columns(['backend', 'seq'])
      .execute();
  },
};

const outboxClaims: Migration = {
  version: 2,
  name: 'outbox-claims',
  async up(db) {
    // A lease on an undelivered transition, so two instances draining the outbox never deliver the same events.
    await db.schema.alterTable('paybridge_transitions').addColumn('claimed_until', 'text').execute();
  },
};

const refundOpen: Migration = {
  version: 3,
  name: 'refund-open',
  async up(db, columns) {
    // What `hasOpenRefund` derives on every write (rows.ts), derived once here for the rows before it.
    await db.schema
      .alterTable('paybridge_payments')
      .addColumn('refund_open', columns.bool, (col) => col.notNull().defaultTo(false))
      .execute();
    const pendingRefund =
      columns.identity === 'postgres'
        ? sql<boolean>`"refunds" @> '[{"kind":"refund","status":"pending"}]'::jsonb`
        : sql<boolean>`exists (select 1 from json_each("refunds") where json_extract(value, '$.kind') = 'refund' and json_extract(value, '$.status') = 'pending')`;
    await db
      .updateTable('paybridge_payments')
      .set({ refund_open: sql.lit(true) })
      .where(pendingRefund)
      .execute();
    // Partial: holds only the few payments with a refund open, however many payments there are.
    await db.schema
      .createIndex('paybridge_payments_refund_open')
      .on('paybridge_payments')
      .columns(['created_at', 'id'])
      .where(sql.ref('refund_open'), '=', sql.lit(true))
      .execute();
  },
};

export const MIGRATIONS: readonly Migration[] = [initial, outboxClaims, refundOpen];
