import type { AckResponse, NotificationOutcome, Payment, PaymentFact } from '@paybridge/core';

/** Stripe counts any 2xx as delivered and ignores the body (§5.4). */
export const OK: AckResponse = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"received":true}',
};

/**
 * Refused messages get a 400: a forger gains nothing from it, and a genuine event fails only when our
 * configuration is wrong (a rolled secret): Stripe then keeps redelivering for up to three days, long
 * enough to fix the secret without losing the event, where a 2xx would drop it.
 */
export const refuse = (body: string): AckResponse => ({
  status: 400,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: body }),
});

/** Stripe's API could not be asked (a lookup the event needed): 503, so Stripe redelivers. */
export const RETRY: AckResponse = {
  status: 503,
  headers: { 'content-type': 'application/json' },
  body: '{"error":"retry"}',
};

export function malformed(message: string): NotificationOutcome {
  return { verdict: 'rejected', code: 'MALFORMED_NOTIFICATION', message, ack: refuse('malformed') };
}

/**
 * `transactionId` hands the binding decision to core too (DESIGN §6): the bound session's id (the
 * payment's externalId) for news of the bound session, intent or subscription, the other object's
 * own id otherwise, so core also refuses to let it fail, re-status or refund the payment.
 */
export const verified = (
  paymentId: string,
  facts: PaymentFact[],
  extra: { pull?: boolean; transactionId?: string | null } = {},
): NotificationOutcome => {
  const { transactionId, ...rest } = extra;
  return {
    verdict: 'verified',
    updates: [{ paymentId, facts, ...rest, ...(transactionId ? { transactionId } : {}) }],
    ack: OK,
  };
};

export const rejected = (
  code: 'UNKNOWN_PAYMENT' | 'RECEIVER_MISMATCH' | 'CURRENCY_MISMATCH',
  message: string,
  paymentId?: string,
): NotificationOutcome => ({
  // Genuine but not ours (another shop on the account, a wiped database): redelivery cannot help.
  verdict: 'rejected',
  code,
  message,
  ...(paymentId ? { paymentId } : {}),
  ack: OK,
});

/** An event this backend does not act on: acknowledged so Stripe stops sending it. */
export const ignored = (): NotificationOutcome => ({ verdict: 'verified', updates: [], ack: OK });

export const isOutcome = (value: Payment | NotificationOutcome): value is NotificationOutcome =>
  'verdict' in value;
