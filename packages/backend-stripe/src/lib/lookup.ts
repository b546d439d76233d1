import type { NotificationContext, NotificationOutcome, Payment } from '@paybridge/core';
import { callStripe, requestOptions, stripeClient } from './client';
import { objectAccount } from './connect';
import { rejected } from './outcomes';
import type { StripeSettings } from './settings';
import { invoiceSchema, type StripeEvent } from './stripe-objects';

/** What an event handler needs besides the bridge's context. */
export interface NotificationDeps {
  backendId: string;
  settings: StripeSettings;
}

/** Which payment a Stripe object names: our id (metadata, `client_reference_id`) and/or its own id. */
export interface PaymentRef {
  paymentId?: string | null | undefined;
  externalId?: string;
}

/** Our payment for a Stripe object naming it, after the Connect account check. */
export async function findPayment(
  ctx: NotificationContext,
  deps: NotificationDeps,
  event: StripeEvent,
  ref: PaymentRef,
): Promise<Payment | NotificationOutcome> {
  const byExternal = ref.externalId ? await ctx.findPaymentByExternalId(ref.externalId) : null;
  const payment = byExternal ?? (ref.paymentId ? await ctx.getPayment(ref.paymentId) : null);
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

/** The payment a PaymentIntent names in its metadata, asking Stripe when the object at hand does not say. */
export async function paymentIdOfIntent(
  ctx: NotificationContext,
  deps: NotificationDeps,
  event: StripeEvent,
  intentId: string,
): Promise<string | null> {
  const call = { kind: 'retrieve-payment-intent', paymentId: null, account: event.account ?? null };
  const intent = await callStripe('retrieve the PaymentIntent', async () =>
    (await stripeClient(deps.settings, ctx, call)).paymentIntents.retrieve(
      intentId,
      {},
      requestOptions(call),
    ),
  );
  return intent.metadata?.paybridge_payment_id ?? null;
}

/**
 * The payment whose money a PaymentIntent moved, for refunds and disputes: the one its metadata names,
 * else, for a subscription invoice's intent (which names nobody), the payment of the invoice it paid:
 * the renewal's child payment (whose externalId the invoice is) or the subscription's own payment.
 */
export async function refOfIntent(
  ctx: NotificationContext,
  deps: NotificationDeps,
  event: StripeEvent,
  intentId: string,
): Promise<PaymentRef> {
  const paymentId = await paymentIdOfIntent(ctx, deps, event, intentId);
  if (paymentId) return { paymentId };
  const call = { kind: 'list-invoice-payments', paymentId: null, account: event.account ?? null };
  const found = await callStripe('list the invoice payments', async () =>
    (await stripeClient(deps.settings, ctx, call)).invoicePayments.list(
      { payment: { type: 'payment_intent', payment_intent: intentId }, expand: ['data.invoice'], limit: 1 },
      requestOptions(call),
    ),
  );
  const invoice = invoiceSchema().safeParse(found.data[0]?.invoice);
  if (!invoice.success) return {};
  return {
    externalId: invoice.data.id,
    paymentId: invoice.data.parent?.subscription_details?.metadata?.paybridge_payment_id,
  };
}
