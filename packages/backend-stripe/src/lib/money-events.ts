import type { NotificationContext, NotificationOutcome, Payment, PaymentFact } from '@paybridge/core';
import { bindingOf } from './binding';
import { callStripe, stripeClient } from './client';
import { DATA } from './connect';
import {
  boundTransaction,
  findPayment,
  ignore,
  isOutcome,
  moneyOf,
  paymentIdOfIntent,
  verified,
} from './event-helpers';
import { disputeFacts, refundFacts } from './facts';
import { malformed, type NotificationDeps } from './notification';
import { chargeSchema, disputeSchema, refundSchema, type StripeEvent } from './stripe-objects';

/** `charge.refunded`, `refund.*`, `charge.refund.updated`: refund facts from the refund as it is now. */
export async function refundEvent(
  event: StripeEvent,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const { settings } = deps;
  const object = event.data.object;
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

/** `charge.dispute.*`: reversals and their cancellation (`facts.ts`). */
export async function disputeEvent(
  event: StripeEvent,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const { settings } = deps;
  const object = event.data.object;
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
