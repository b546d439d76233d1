import {
  type GatewayMessage,
  hasOpenRefund,
  type LedgerEntry,
  PaybridgeError,
  type Payment,
  type PaymentStatus,
  type Transition,
} from '@paybridge/core';
import type { Selectable } from 'kysely';
import type { MessagesTable, PaymentsTable, RefundsTable, TransitionsTable } from './schema';

/**
 * Row <-> domain mapping. PostgreSQL returns `bigint` as a string (it may exceed 2^53); money here is
 * always a safe integer of minor units, so anything else is corruption and fails loudly.
 */
export function toInteger(value: number | string | bigint, column: string): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(number)) throw new Error(`Column ${column} holds a non-integer value`);
  return number;
}

const integerOrNull = (value: number | null, column: string): number | null =>
  value === null ? null : toInteger(value, column);

/** JSON columns: `jsonb` comes back parsed from pg, `text` comes back as a string from SQLite; NULL stays null. */
export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** U+0000 replaced by U+FFFD: PostgreSQL `text` and `jsonb` cannot hold it (SQLite can; both get the same). */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return withoutNul(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.some(([key]) => key.includes('\u0000'))) {
      return Object.fromEntries(entries.map(([key, item]) => [withoutNul(key), item]));
    }
  }
  return value;
}

/**
 * Always serialize ourselves: pg would turn a JS array into a PostgreSQL array literal, not JSON.
 * Strings (keys included) lose any U+0000: `jsonb` refuses `\u0000`, and broker data is
 * buyer-typed text a broker relays, so one stray NUL would otherwise fail every retry of that
 * notification and leave the payment stuck.
 */
export function toJson(value: unknown): string {
  // JSON writes U+0000 as the escape `\u0000`: text without one holds no NUL, and the replacer
  // (which turns off V8's fast serializer, ~8 µs a payment) would change nothing.
  const text = JSON.stringify(value);
  return text?.includes('\\u0000') ? JSON.stringify(value, jsonSafe) : text;
}

export function toJsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : toJson(value);
}

/** Money and counters are written only as safe integers: SQLite would otherwise store a REAL. */
function integer(value: number, column: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new PaybridgeError('INTERNAL', `Refusing to write a non-integer ${column}`, {
      details: { column },
    });
  }
  return value;
}

export type PaymentRow = Omit<PaymentsTable, 'seq'>;

export function paymentToRow(payment: Payment, toBool: (value: boolean) => boolean | number): PaymentRow {
  return {
    id: payment.id,
    order_id: payment.orderId,
    backend: payment.backend,
    amount: integer(payment.amount, 'amount'),
    currency: payment.currency,
    status: payment.status,
    amount_authorized: integer(payment.amountAuthorized, 'amount_authorized'),
    amount_paid: integer(payment.amountPaid, 'amount_paid'),
    amount_refunded: integer(payment.amountRefunded, 'amount_refunded'),
    captures: toJson(payment.captures),
    refunds: toJson(payment.refunds),
    external_id: payment.externalId,
    // Free text the merchant may build from what the buyer typed.
    description: withoutNul(payment.description),
    buyer: toJson(payment.buyer),
    order_snapshot: toJson(payment.order),
    recurrence: toJsonOrNull(payment.recurrence),
    parent_payment_id: payment.parentPaymentId,
    subscription: toJsonOrNull(payment.subscription),
    broker_data: toJson(payment.brokerData),
    success_url: payment.successUrl,
    failure_url: payment.failureUrl,
    test_mode: toBool(payment.testMode),
    created_at: payment.createdAt,
    updated_at: payment.updatedAt,
    expires_at: payment.expiresAt,
    version: integer(payment.version, 'version'),
    refund_open: toBool(hasOpenRefund(payment)),
  };
}

export function rowToPayment(row: Selectable<PaymentsTable>): Payment {
  return {
    id: row.id,
    orderId: row.order_id,
    backend: row.backend,
    amount: toInteger(row.amount, 'amount'),
    currency: row.currency,
    status: row.status as PaymentStatus,
    amountAuthorized: toInteger(row.amount_authorized, 'amount_authorized'),
    amountPaid: toInteger(row.amount_paid, 'amount_paid'),
    amountRefunded: toInteger(row.amount_refunded, 'amount_refunded'),
    captures: fromJson<LedgerEntry[]>(row.captures),
    refunds: fromJson<LedgerEntry[]>(row.refunds),
    externalId: row.external_id,
    description: row.description,
    buyer: fromJson<Payment['buyer']>(row.buyer),
    order: fromJson<Payment['order']>(row.order_snapshot),
    recurrence: fromJson<Payment['recurrence']>(row.recurrence),
    parentPaymentId: row.parent_payment_id,
    subscription: fromJson<Payment['subscription']>(row.subscription),
    brokerData: fromJson<Payment['brokerData']>(row.broker_data),
    successUrl: row.success_url,
    failureUrl: row.failure_url,
    testMode: Boolean(row.test_mode),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    version: toInteger(row.version, 'version'),
  };
}

export type TransitionRow = Omit<TransitionsTable, 'seq'>;

export function transitionToRow(transition: Transition): TransitionRow {
  return {
    id: transition.id,
    payment_id: transition.paymentId,
    from_status: transition.from,
    to_status: transition.to,
    cause: transition.cause,
    event_id: transition.eventId,
    amount_paid: integer(transition.amountPaid, 'amount_paid'),
    amount_refunded: integer(transition.amountRefunded, 'amount_refunded'),
    at: transition.at,
    effects: toJson(transition.effects ?? []),
    emitted_at: null,
    claimed_until: null,
  };
}

export function rowToTransition(row: Selectable<TransitionsTable>): Transition {
  return {
    id: row.id,
    paymentId: row.payment_id,
    from: row.from_status as PaymentStatus,
    to: row.to_status as PaymentStatus,
    cause: row.cause,
    eventId: row.event_id,
    amountPaid: toInteger(row.amount_paid, 'amount_paid'),
    amountRefunded: toInteger(row.amount_refunded, 'amount_refunded'),
    at: row.at,
    effects: fromJson<Transition['effects']>(row.effects),
  };
}

export function refundRows(payment: Payment): RefundsTable[] {
  return payment.refunds.map((entry) => ({
    payment_id: payment.id,
    refund_id: entry.id,
    kind: entry.kind,
    amount: integer(entry.amount, 'refund amount'),
    status: entry.status,
    reason: entry.reason ?? null,
    created_at: entry.createdAt,
    updated_at: entry.updatedAt,
  }));
}

/** `headers`: the row's headers parsed already, when the caller holds them (the message it wrote). */
export function rowToMessage(
  row: Omit<MessagesTable, 'seq'>,
  headers = fromJson<Record<string, string>>(row.headers),
): GatewayMessage {
  return {
    id: row.id,
    direction: row.direction as GatewayMessage['direction'],
    backend: row.backend,
    kind: row.kind,
    method: row.method,
    url: row.url,
    headers,
    body: row.body,
    bodyEncoding: row.body_encoding as GatewayMessage['bodyEncoding'],
    verdict: row.verdict as GatewayMessage['verdict'],
    outcome: row.outcome,
    responseStatus: integerOrNull(row.response_status, 'response_status'),
    responseBody: row.response_body,
    paymentId: row.payment_id,
    detail: row.detail,
    durationMs: integerOrNull(row.duration_ms, 'duration_ms'),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
