import type { NotificationOutcome, Payment, PaymentFact } from '@paybridge/core';
import { jsonAcks } from '@paybridge/core/kit';

/**
 * Stripe counts any 2xx as delivered and ignores the body (§5.4). Refused messages get a 400: a
 * genuine event fails only when our configuration is wrong (a rolled secret), and Stripe then keeps
 * redelivering for up to three days, long enough to fix the secret without losing the event. `RETRY`
 * (503): Stripe's API could not be asked (a lookup the event needed), so Stripe redelivers.
 */
export const { OK, refuse, RETRY, malformed } = jsonAcks({ received: true });

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
