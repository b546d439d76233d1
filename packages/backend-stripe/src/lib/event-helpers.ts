import type { NotificationContext, NotificationOutcome, Payment, PaymentFact } from '@paybridge/core';
import { callStripe, stripeClient } from './client';
import { DATA, objectAccount } from './connect';
import { fromStripeAmount } from './currency';
import type { Money } from './facts';
import { type NotificationDeps, OK } from './notification';
import type { StripeEvent } from './stripe-objects';

/** What every event handler shares: outcomes, finding our payment, Stripe → our amounts. */

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

/** The transaction a message is about, for core's binding check. */
export const boundTransaction = (payment: Payment) =>
  (payment.brokerData[DATA.session] as string | undefined) ?? payment.externalId;

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

/** Our payment for a Stripe object naming it, after the Connect account check. */
export async function findPayment(
  ctx: NotificationContext,
  deps: NotificationDeps,
  event: StripeEvent,
  paymentId: string | null | undefined,
  externalId?: string,
): Promise<Payment | NotificationOutcome> {
  const byExternal = externalId ? await ctx.findPaymentByExternalId(externalId) : null;
  const payment = byExternal ?? (paymentId ? await ctx.getPayment(paymentId) : null);
  if (!payment || payment.backend !== deps.backendId) {
    return rejected('UNKNOWN_PAYMENT', `Stripe event ${event.id} (${event.type}) names no payment of ours`);
  }
  // Remote mode: the event must come from the payment's connected account; otherwise from the platform.
  const expected = objectAccount(payment);
  if ((event.account ?? null) !== expected) {
    return rejected(
      'RECEIVER_MISMATCH',
      `Stripe event ${event.id} is from account ${event.account ?? 'platform'}, the payment's is ${expected ?? 'platform'}`,
      payment.id,
    );
  }
  return payment;
}

export const isOutcome = (value: Payment | NotificationOutcome): value is NotificationOutcome =>
  'verdict' in value;

/** The payment a PaymentIntent names in its metadata, asking Stripe when the object at hand does not say. */
export async function paymentIdOfIntent(
  ctx: NotificationContext,
  deps: NotificationDeps,
  event: StripeEvent,
  intentId: string,
): Promise<string | null> {
  const intent = await callStripe('retrieve the PaymentIntent', () =>
    stripeClient(deps.settings, ctx, {
      kind: 'retrieve-payment-intent',
      paymentId: null,
    }).paymentIntents.retrieve(intentId, {}, event.account ? { stripeAccount: event.account } : {}),
  );
  return intent.metadata?.paybridge_payment_id ?? null;
}

/** An event type this backend does not act on: acknowledged so Stripe stops sending it. */
export function ignore(event: StripeEvent): NotificationOutcome {
  void event;
  return { verdict: 'verified', updates: [], ack: OK };
}

export function moneyOf(payment: Payment, settings: NotificationDeps['settings']): Money {
  return (amount) => fromStripeAmount(amount, payment.currency, settings.stripeExponents);
}
