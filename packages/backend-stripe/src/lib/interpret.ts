import type { NotificationContext, NotificationOutcome, Payment, PaymentFact } from '@paybridge/core';
import { bindingOf } from './binding';
import { callStripe, stripeClient } from './client';
import { DATA, objectAccount } from './connect';
import { fromStripeAmount } from './currency';
import {
  asyncFailedFact,
  disputeFacts,
  intentFacts,
  invoicePaidFact,
  isFirstInvoice,
  type Money,
  refundFacts,
  sessionFacts,
  subscriptionFacts,
} from './facts';
import { malformed, type NotificationDeps, OK } from './notification';
import {
  chargeSchema,
  disputeSchema,
  invoiceSchema,
  invoiceSubscription,
  paymentIntentSchema,
  refundSchema,
  type StripeEvent,
  sessionSchema,
  subscriptionSchema,
} from './stripe-objects';

/**
 * `transactionId` hands the binding decision to core too (DESIGN §6): the bound session's id (the
 * payment's externalId) for news of the bound session, intent or subscription, the other object's
 * own id otherwise, so core also refuses to let it fail, re-status or refund the payment.
 */
const verified = (
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
const boundTransaction = (payment: Payment) =>
  (payment.brokerData[DATA.session] as string | undefined) ?? payment.externalId;

const rejected = (
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
async function findPayment(
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

const isOutcome = (value: Payment | NotificationOutcome): value is NotificationOutcome => 'verdict' in value;

/** The payment a PaymentIntent names in its metadata, asking Stripe when the object at hand does not say. */
async function paymentIdOfIntent(
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

  if (kind === 'charge.refund' || kind === 'refund' || kind === 'charge') {
    // charge.refunded carries only a cumulative total: pull the refunds list instead.
    if (event.type === 'charge.refunded') {
      const charge = chargeSchema.safeParse(object);
      if (!charge.success || !charge.data.payment_intent)
        return malformed(`Stripe event ${event.id}: not a charge`);
      const named =
        charge.data.metadata?.paybridge_payment_id ??
        (await paymentIdOfIntent(ctx, deps, event, charge.data.payment_intent));
      const payment = await findPayment(ctx, deps, event, named);
      if (isOutcome(payment)) return payment;
      return verified(payment.id, [], { pull: true });
    }
    const parsed = refundSchema.safeParse(object);
    if (!parsed.success) return ignore(event);
    const snapshot = parsed.data;
    const named =
      snapshot.metadata?.paybridge_payment_id ??
      (snapshot.payment_intent ? await paymentIdOfIntent(ctx, deps, event, snapshot.payment_intent) : null);
    const payment = await findPayment(ctx, deps, event, named);
    if (isOutcome(payment)) return payment;
    // A refund's states are not monotonic (succeeded → failed): act on its state now, not the snapshot's.
    const refund = refundSchema.parse(
      await callStripe('retrieve the refund', () =>
        stripeClient(settings, ctx, { kind: 'retrieve-refund', paymentId: payment.id }).refunds.retrieve(
          snapshot.id,
          {},
          event.account ? { stripeAccount: event.account } : {},
        ),
      ),
    );
    const facts = refundFacts(refund, moneyOf(payment, settings), payment);
    // One of our own refunds (its id and amount recorded when we made it): whatever intent it moved,
    // e.g. a subscription invoice's, it is this payment's money.
    const ours = payment.refunds.find(
      (r) => r.kind === 'refund' && r.id === refund.metadata?.paybridge_refund_id,
    );
    if (ours && moneyOf(payment, settings)(refund.amount) === ours.amount) {
      return verified(payment.id, facts, { transactionId: boundTransaction(payment) });
    }
    return moneyOfPaymentIntent(payment, refund.payment_intent ?? null, facts, ctx, deps);
  }

  if (kind === 'charge.dispute') {
    const parsed = disputeSchema.safeParse(object);
    if (!parsed.success || !parsed.data.payment_intent)
      return malformed(`Stripe event ${event.id}: not a dispute`);
    const dispute = parsed.data;
    const named = await paymentIdOfIntent(ctx, deps, event, dispute.payment_intent as string);
    const payment = await findPayment(ctx, deps, event, named);
    if (isOutcome(payment)) return payment;
    const facts = disputeFacts(dispute, moneyOf(payment, settings), event.type);
    return moneyOfPaymentIntent(payment, dispute.payment_intent ?? null, facts, ctx, deps);
  }

  if (kind === 'invoice') {
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

  if (kind === 'customer.subscription') {
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

  return ignore(event);
}

/** An event type this backend does not act on: acknowledged so Stripe stops sending it. */
function ignore(event: StripeEvent): NotificationOutcome {
  void event;
  return { verdict: 'verified', updates: [], ack: OK };
}

export function moneyOf(payment: Payment, settings: NotificationDeps['settings']): Money {
  return (amount) => fromStripeAmount(amount, payment.currency, settings.stripeExponents);
}

/**
 * Refunds and disputes move the money of one PaymentIntent: applied when it is one whose capture we
 * recorded or the bound one; otherwise (it overtook its capture) the payment is pulled instead.
 */
async function moneyOfPaymentIntent(
  payment: Payment,
  intentId: string | null,
  facts: PaymentFact[],
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  if (!intentId) return verified(payment.id, [], { pull: true });
  const known = payment.brokerData[DATA.paymentIntent] === intentId;
  if (payment.captures.some((capture) => capture.id === intentId)) {
    return verified(payment.id, facts, { transactionId: known ? boundTransaction(payment) : intentId });
  }
  const binding = await bindingOf(payment, 'paymentIntent', intentId, ctx, deps.settings);
  if (binding.bound) {
    return verified(payment.id, [...binding.learnt, ...facts], { transactionId: boundTransaction(payment) });
  }
  return verified(payment.id, binding.learnt, { pull: true });
}
