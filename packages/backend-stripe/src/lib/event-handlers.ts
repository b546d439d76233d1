import type { NotificationContext, NotificationOutcome, Payment, PaymentFact } from '@paybridge/core';
import { memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';
import { bindingOf, boundTransaction } from './binding';
import { callStripe, requestOptions, stripeClient } from './client';
import { DATA, sellerOf } from './connect';
import {
  asyncFailedFact,
  disputeFacts,
  intentFacts,
  invoicePaidFact,
  isFirstInvoice,
  moneyOf,
  refundFacts,
  sessionFacts,
  subscriptionFacts,
} from './facts';
import {
  findPayment,
  type NotificationDeps,
  type PaymentRef,
  paymentIdOfIntent,
  refOfIntent,
} from './lookup';
import { intentOfRefunds } from './operations';
import { ignored, isOutcome, malformed, OK, rejected, verified } from './outcomes';
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
 * What one family of Stripe events means for us: the object it carries (`schema`, a getter: built by the
 * first event, not at import), the payment that
 * object names (`names`; `null` = not ours to act on), and the updates for that payment (`apply`).
 * `objectName` ('a dispute') names the object in the refusal of one that does not parse; without it,
 * such an event is acknowledged and ignored.
 */
interface EventHandler<T> {
  schema: () => z.ZodMiniType<T>;
  objectName?: string;
  names(
    object: T,
    event: StripeEvent,
    ctx: NotificationContext,
    deps: NotificationDeps,
  ): Promise<PaymentRef | null>;
  apply(
    object: T,
    payment: Payment,
    event: StripeEvent,
    ctx: NotificationContext,
    deps: NotificationDeps,
  ): Promise<NotificationOutcome>;
}

const handler = <T>(h: EventHandler<T>) => h as EventHandler<unknown>;

const withIntent = <S extends z.ZodMiniType<{ payment_intent?: string | null | undefined }>>(
  schema: () => S,
) => memoized(() => schema().check(z.refine((object) => Boolean(object.payment_intent))));
const chargeWithIntent = withIntent(chargeSchema);
const disputeWithIntent = withIntent(disputeSchema);

/** The updates for a message about the bound intent or subscription, with what its lookup taught us. */
const verifiedBound = (payment: Payment, learnt: PaymentFact[], facts: PaymentFact[]) =>
  verified(payment.id, [...learnt, ...facts], { transactionId: boundTransaction(payment) });

const sessionEvents = handler({
  schema: sessionSchema,
  objectName: 'a Checkout Session',
  names: async (session) => ({
    paymentId: session.client_reference_id ?? session.metadata?.paybridge_payment_id,
    externalId: session.id,
  }),
  async apply(session, payment, event, _ctx, { settings }) {
    if (session.currency && session.currency !== payment.currency) {
      const message = `Stripe session ${session.id} is in ${session.currency}`;
      return rejected('CURRENCY_MISMATCH', message, payment.id);
    }
    const bound = session.id === (payment.brokerData[DATA.session] ?? payment.externalId);
    const manualCapture = settings.captureMethod === 'manual';
    const facts = sessionFacts(session, moneyOf(payment, settings), bound, manualCapture);
    if (bound && event.type === 'checkout.session.async_payment_failed') facts.push(asyncFailedFact(session));
    return verified(payment.id, facts, { transactionId: session.id });
  },
});

const intentEvents = handler({
  schema: paymentIntentSchema,
  objectName: 'a PaymentIntent',
  names: async (intent) => ({ paymentId: intent.metadata?.paybridge_payment_id }),
  async apply(intent, payment, _event, ctx, { settings }) {
    const binding = await bindingOf(payment, 'paymentIntent', intent.id, ctx, settings);
    const facts = intentFacts(intent, moneyOf(payment, settings), binding.bound, payment.amount);
    return verified(payment.id, [...binding.learnt, ...facts], {
      transactionId: binding.bound ? boundTransaction(payment) : intent.id,
    });
  },
});

/** `charge.refunded` carries only a cumulative total: the payment is pulled (refunds list) instead. */
const chargeRefunded = handler({
  schema: chargeWithIntent,
  objectName: 'a charge',
  names: async (charge, event, ctx, deps) => ({
    paymentId:
      charge.metadata?.paybridge_payment_id ??
      (await paymentIdOfIntent(ctx, deps, event, charge.payment_intent as string)),
  }),
  apply: async (_charge, payment) => verified(payment.id, [], { pull: true }),
});

/** `refund.*`, `charge.refund.updated`: refund facts from the refund as it is now. */
const refundEvents = handler({
  schema: refundSchema,
  names: async (refund, event, ctx, deps) =>
    refund.metadata?.paybridge_payment_id
      ? { paymentId: refund.metadata.paybridge_payment_id }
      : refund.payment_intent
        ? await refOfIntent(ctx, deps, event, refund.payment_intent)
        : null,
  async apply(snapshot, payment, event, ctx, deps) {
    const { settings } = deps;
    // A refund's states are not monotonic (succeeded → failed): act on its state now, not the snapshot's.
    const call = { kind: 'retrieve-refund', paymentId: payment.id, account: event.account ?? null };
    const refund = refundSchema().parse(
      await callStripe('retrieve the refund', async () =>
        (await stripeClient(settings, ctx, call)).refunds.retrieve(snapshot.id, {}, requestOptions(call)),
      ),
    );
    const money = moneyOf(payment, settings);
    const facts = refundFacts(refund, money, payment);
    // One of our own refunds (its id and amount recorded when we made it) on the intent our refunds are
    // made on, e.g. a subscription invoice's (looked up): this payment's money. The metadata alone is
    // not enough: whoever can create a refund elsewhere can copy it.
    const ours = payment.refunds.find(
      (r) => r.kind === 'refund' && r.id === refund.metadata?.paybridge_refund_id,
    );
    if (
      ours &&
      money(refund.amount) === ours.amount &&
      refund.payment_intent &&
      refund.payment_intent === (await intentOfRefunds(payment, ctx, settings))
    ) {
      return verified(payment.id, facts, { transactionId: boundTransaction(payment) });
    }
    return moneyOfPaymentIntent(payment, refund.payment_intent ?? null, facts, ctx, deps);
  },
});

/** `charge.dispute.*`: reversals and their cancellation (`facts.ts`). */
const disputeEvents = handler({
  schema: disputeWithIntent,
  objectName: 'a dispute',
  names: async (dispute, event, ctx, deps) => refOfIntent(ctx, deps, event, dispute.payment_intent as string),
  async apply(dispute, payment, event, ctx, deps) {
    const facts = disputeFacts(dispute, moneyOf(payment, deps.settings), event.type);
    return moneyOfPaymentIntent(payment, dispute.payment_intent ?? null, facts, ctx, deps);
  },
});

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
  // A subscription payment's money is on its invoice's intent (looked up; a one-off's is the bound one).
  if (intentId === (await intentOfRefunds(payment, ctx, deps.settings))) {
    return verified(payment.id, facts, { transactionId: boundTransaction(payment) });
  }
  const binding = await bindingOf(payment, 'paymentIntent', intentId, ctx, deps.settings);
  if (binding.bound) return verifiedBound(payment, binding.learnt, facts);
  return verified(payment.id, binding.learnt, { pull: true });
}

/** `invoice.paid` / `invoice.payment_failed` of the bound subscription: the first pays, renewals are children. */
const invoiceEvents = handler({
  schema: invoiceSchema,
  objectName: 'an invoice',
  names: async (invoice) =>
    invoiceSubscription(invoice)
      ? { paymentId: invoice.parent?.subscription_details?.metadata?.paybridge_payment_id }
      : null,
  async apply(invoice, payment, event, ctx, { settings }) {
    const subscriptionId = invoiceSubscription(invoice) as string;
    const binding = await bindingOf(payment, 'subscription', subscriptionId, ctx, settings);
    if (!binding.bound) return ignored();
    if (event.type === 'invoice.payment_failed') {
      const eventId = `${invoice.id}:failed:${invoice.attempt_count}`;
      const fact: PaymentFact = { type: 'subscription', eventId, event: 'payment_failed', subscriptionId };
      return verifiedBound(payment, binding.learnt, [fact]);
    }
    if (event.type !== 'invoice.paid') return ignored();
    const amount = moneyOf(payment, settings)(invoice.amount_paid);
    if (amount === null || amount === 0) return verified(payment.id, binding.learnt);
    const paid = invoicePaidFact(invoice, amount);
    if (isFirstInvoice(invoice)) return verified(payment.id, [...binding.learnt, paid]);
    const { id, currency } = invoice;
    const renewal = {
      paymentId: payment.id,
      child: { key: id, externalId: id, amount, currency, subscriptionId },
    };
    return {
      verdict: 'verified',
      updates: [
        ...(binding.learnt.length ? [{ paymentId: payment.id, facts: binding.learnt }] : []),
        { ...renewal, facts: [...sellerOf(payment, id), paid] },
      ],
      ack: OK,
    };
  },
});

/**
 * `customer.subscription.updated/deleted` of the bound subscription. Deletion is final; an update acts
 * on the subscription as it is now, not on the snapshot: its status goes both ways (active ⇄ past_due),
 * so an older update delivered last must not undo a newer one.
 */
const subscriptionEvents = handler({
  schema: subscriptionSchema,
  objectName: 'a subscription',
  names: async (subscription) => ({ paymentId: subscription.metadata?.paybridge_payment_id }),
  async apply(snapshot, payment, event, ctx, { settings }) {
    const binding = await bindingOf(payment, 'subscription', snapshot.id, ctx, settings);
    if (!binding.bound) return ignored();
    if (event.type === 'customer.subscription.deleted') {
      const facts = subscriptionFacts({ ...snapshot, status: 'canceled' }, `${snapshot.id}:deleted`);
      return verifiedBound(payment, binding.learnt, facts);
    }
    const call = { kind: 'retrieve-subscription', paymentId: payment.id, account: event.account ?? null };
    const current = subscriptionSchema().parse(
      await callStripe('retrieve the subscription', async () =>
        (await stripeClient(settings, ctx, call)).subscriptions.retrieve(
          snapshot.id,
          {},
          requestOptions(call),
        ),
      ),
    );
    return verifiedBound(payment, binding.learnt, subscriptionFacts(current, event.id));
  },
});

/** Handlers by event type, where one type of a family differs from the rest. */
const BY_TYPE = new Map<string, EventHandler<unknown>>([['charge.refunded', chargeRefunded]]);

/** Handlers by event family: the type without its last part (`charge.dispute.closed` → `charge.dispute`). */
const BY_FAMILY = new Map<string, EventHandler<unknown>>([
  ['checkout.session', sessionEvents],
  ['payment_intent', intentEvents],
  // The other charge events carry no refund: they fail the refund schema and are ignored.
  ['charge', refundEvents],
  ['charge.refund', refundEvents],
  ['refund', refundEvents],
  ['charge.dispute', disputeEvents],
  ['invoice', invoiceEvents],
  ['customer.subscription', subscriptionEvents],
]);

/** A verified Stripe event → the updates for our payment: parse its object, find the payment, apply. */
export async function interpretEvent(
  event: StripeEvent,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const family = event.type.split('.').slice(0, -1).join('.');
  const handle = BY_TYPE.get(event.type) ?? BY_FAMILY.get(family);
  if (!handle) return ignored();
  const parsed = handle.schema().safeParse(event.data.object);
  if (!parsed.success) {
    return handle.objectName ? malformed(`Stripe event ${event.id}: not ${handle.objectName}`) : ignored();
  }
  const ref = await handle.names(parsed.data, event, ctx, deps);
  if (!ref) return ignored();
  const payment = await findPayment(ctx, deps, event, ref);
  if (isOutcome(payment)) return payment;
  return handle.apply(parsed.data, payment, event, ctx, deps);
}
