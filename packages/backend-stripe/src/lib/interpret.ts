import type { NotificationContext, NotificationOutcome } from '@paybridge/core';
import { bindingOf } from './binding';
import { DATA } from './connect';
import {
  boundTransaction,
  findPayment,
  ignore,
  isOutcome,
  moneyOf,
  rejected,
  verified,
} from './event-helpers';
import { asyncFailedFact, intentFacts, sessionFacts } from './facts';
import { disputeEvent, refundEvent } from './money-events';
import { malformed, type NotificationDeps } from './notification';
import { paymentIntentSchema, type StripeEvent, sessionSchema } from './stripe-objects';
import { invoiceEvent, subscriptionEvent } from './subscription-events';

/** A verified Stripe event → the updates for our payment (sessions and intents here, the rest beside). */
export async function interpretEvent(
  event: StripeEvent,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const { settings } = deps;
  const object = event.data.object;
  const kind = event.type.split('.').slice(0, -1).join('.');

  if (kind === 'checkout.session') {
    const parsed = sessionSchema.safeParse(object);
    if (!parsed.success) return malformed(`Stripe event ${event.id}: not a Checkout Session`);
    const session = parsed.data;
    const named = session.client_reference_id ?? session.metadata?.paybridge_payment_id;
    const payment = await findPayment(ctx, deps, event, named, session.id);
    if (isOutcome(payment)) return payment;
    const money = moneyOf(payment, settings);
    if (session.currency && session.currency !== payment.currency) {
      return rejected(
        'CURRENCY_MISMATCH',
        `Stripe session ${session.id} is in ${session.currency}`,
        payment.id,
      );
    }
    const bound = session.id === (payment.brokerData[DATA.session] ?? payment.externalId);
    const facts = sessionFacts(session, money, bound, settings.captureMethod === 'manual');
    if (bound && event.type === 'checkout.session.async_payment_failed') facts.push(asyncFailedFact(session));
    return verified(payment.id, facts, { transactionId: session.id });
  }

  if (kind === 'payment_intent') {
    const parsed = paymentIntentSchema.safeParse(object);
    if (!parsed.success) return malformed(`Stripe event ${event.id}: not a PaymentIntent`);
    const intent = parsed.data;
    const payment = await findPayment(ctx, deps, event, intent.metadata?.paybridge_payment_id);
    if (isOutcome(payment)) return payment;
    const binding = await bindingOf(payment, 'paymentIntent', intent.id, ctx, settings);
    const facts = intentFacts(intent, moneyOf(payment, settings), binding.bound, payment.amount);
    return verified(payment.id, [...binding.learnt, ...facts], {
      transactionId: binding.bound ? boundTransaction(payment) : intent.id,
    });
  }

  if (kind === 'charge.refund' || kind === 'refund' || kind === 'charge')
    return refundEvent(event, ctx, deps);
  if (kind === 'charge.dispute') return disputeEvent(event, ctx, deps);
  if (kind === 'invoice') return invoiceEvent(event, ctx, deps);
  if (kind === 'customer.subscription') return subscriptionEvent(event, ctx, deps);
  return ignore(event);
}
