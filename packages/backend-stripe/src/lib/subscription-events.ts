import type { NotificationContext, NotificationOutcome, PaymentFact } from '@paybridge/core';
import { bindingOf } from './binding';
import { boundTransaction, findPayment, ignore, isOutcome, moneyOf, verified } from './event-helpers';
import { invoicePaidFact, isFirstInvoice, subscriptionFacts } from './facts';
import { malformed, type NotificationDeps, OK } from './notification';
import { invoiceSchema, invoiceSubscription, type StripeEvent, subscriptionSchema } from './stripe-objects';

/** `invoice.paid` / `invoice.payment_failed` of the bound subscription: the first pays, renewals are children. */
export async function invoiceEvent(
  event: StripeEvent,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const { settings } = deps;
  const object = event.data.object;
  const parsed = invoiceSchema.safeParse(object);
  if (!parsed.success) return malformed(`Stripe event ${event.id}: not an invoice`);
  const invoice = parsed.data;
  const subscriptionId = invoiceSubscription(invoice);
  if (!subscriptionId) return ignore(event);
  const named = invoice.parent?.subscription_details?.metadata?.paybridge_payment_id;
  const payment = await findPayment(ctx, deps, event, named);
  if (isOutcome(payment)) return payment;
  const binding = await bindingOf(payment, 'subscription', subscriptionId, ctx, settings);
  if (!binding.bound) return ignore(event);
  if (event.type === 'invoice.payment_failed') {
    const fact: PaymentFact = {
      type: 'subscription',
      eventId: `${invoice.id}:failed:${invoice.attempt_count}`,
      event: 'payment_failed',
      subscriptionId,
    };
    return verified(payment.id, [...binding.learnt, fact], { transactionId: boundTransaction(payment) });
  }
  if (event.type !== 'invoice.paid') return ignore(event);
  const amount = moneyOf(payment, settings)(invoice.amount_paid);
  if (amount === null || amount === 0) return verified(payment.id, binding.learnt);
  if (isFirstInvoice(invoice))
    return verified(payment.id, [...binding.learnt, invoicePaidFact(invoice, amount)]);
  return {
    verdict: 'verified',
    updates: [
      ...(binding.learnt.length ? [{ paymentId: payment.id, facts: binding.learnt }] : []),
      {
        paymentId: payment.id,
        child: {
          key: invoice.id,
          externalId: invoice.id,
          amount,
          currency: invoice.currency,
          subscriptionId,
        },
        facts: [invoicePaidFact(invoice, amount)],
      },
    ],
    ack: OK,
  };
}

/** `customer.subscription.updated/deleted` of the bound subscription. */
export async function subscriptionEvent(
  event: StripeEvent,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const { settings } = deps;
  const object = event.data.object;
  const parsed = subscriptionSchema.safeParse(object);
  if (!parsed.success) return malformed(`Stripe event ${event.id}: not a subscription`);
  const subscription = parsed.data;
  const payment = await findPayment(ctx, deps, event, subscription.metadata?.paybridge_payment_id);
  if (isOutcome(payment)) return payment;
  const binding = await bindingOf(payment, 'subscription', subscription.id, ctx, settings);
  if (!binding.bound) return ignore(event);
  const facts =
    event.type === 'customer.subscription.deleted'
      ? subscriptionFacts({ ...subscription, status: 'canceled' }, `${subscription.id}:deleted`)
      : subscriptionFacts(subscription, event.id);
  return verified(payment.id, [...binding.learnt, ...facts], { transactionId: boundTransaction(payment) });
}
