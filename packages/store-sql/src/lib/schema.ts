import type { Generated } from 'kysely';

/**
 * The one schema both dialects share. Column types differ only where the engines do: money is
 * `bigint` on PostgreSQL (parsed back to a number) and `integer` on SQLite (64-bit already); JSON is
 * `jsonb` on PostgreSQL and `text` on SQLite; booleans are `boolean` / `integer`. Timestamps are
 * ISO-8601 UTC text on both, so a value reads back byte for byte and sorts lexicographically.
 *
 * Every table has a `seq` identity column: it orders rows (transitions chronologically, the message
 * log latest first) and is what paging cursors point at.
 */
export interface PaymentsTable {
  seq: Generated<number | string>;
  id: string;
  order_id: string;
  backend: string;
  amount: number | string;
  currency: string;
  status: string;
  amount_authorized: number | string;
  amount_paid: number | string;
  amount_refunded: number | string;
  captures: unknown;
  refunds: unknown;
  external_id: string | null;
  description: string;
  buyer: unknown;
  order_snapshot: unknown;
  recurrence: unknown;
  parent_payment_id: string | null;
  subscription: unknown;
  broker_data: unknown;
  success_url: string | null;
  failure_url: string | null;
  test_mode: boolean | number;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
  version: number;
  /** `hasOpenRefund(payment)`, kept by every write (rows.ts): reconciliation's refund pass reads it. */
  refund_open: boolean | number;
}

export interface TransitionsTable {
  seq: Generated<number | string>;
  id: string;
  payment_id: string;
  from_status: string;
  to_status: string;
  cause: string;
  event_id: string | null;
  amount_paid: number | string;
  amount_refunded: number | string;
  at: string;
  /** JSON array of TransitionEffect: the events this transition owes to listeners. */
  effects: unknown;
  /** Null until the bridge delivered the transition's events (the outbox). */
  emitted_at: string | null;
  /** Until when a drainer holds the transition (migration 2). */
  claimed_until: string | null;
}

/** Broker event ids claimed so far: the primary key is the dedupe. */
export interface ProcessedEventsTable {
  event_id: string;
  payment_id: string;
  claimed_at: string;
}

/**
 * Refunds and reversals, one row per ledger entry: a queryable projection of `payments.refunds`,
 * written in the same transaction as the payment itself.
 */
export interface RefundsTable {
  payment_id: string;
  refund_id: string;
  kind: string;
  amount: number | string;
  status: string;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface MessagesTable {
  seq: Generated<number | string>;
  id: string;
  direction: string;
  backend: string;
  kind: string;
  method: string;
  url: string;
  headers: unknown;
  body: string;
  body_encoding: string;
  verdict: string | null;
  outcome: string | null;
  response_status: number | null;
  response_body: string | null;
  payment_id: string | null;
  detail: string | null;
  duration_ms: number | null;
  created_at: string;
  updated_at: string;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface Database {
  paybridge_payments: PaymentsTable;
  paybridge_transitions: TransitionsTable;
  paybridge_processed_events: ProcessedEventsTable;
  paybridge_refunds: RefundsTable;
  paybridge_messages: MessagesTable;
  paybridge_migrations: MigrationsTable;
}
