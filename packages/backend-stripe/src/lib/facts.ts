import type { Payment, PaymentFact } from '@paybridge/core';
import { DATA } from './connect';
import { fromStripeAmount } from './currency';
import type { StripeSettings } from './settings';
import type {
  StripeDispute,
  StripeInvoice,
  StripePaymentIntent,
  StripeRefund,
  StripeSession,
  StripeSubscription,
} from './stripe-objects';

/**
 * Stripe objects → core facts. Event ids name the object and the state it reached (`pi_…:succeeded`,
 * `re_…:failed`), not the `evt_…` that carried it: the same state learnt from a webhook, a duplicate,
 * a pull or the answer of our own call is one fact, and money facts are keyed by Stripe's ids, so any
 * arrival order gives the same ledgers. Amounts are already converted to our minor units.
 */

export type Money = (stripeAmount: number) => number | null;

/** Stripe's amounts of this payment's currency → our minor units (`null`: not convertible exactly). */
export function moneyOf(
  payment: Pick<Payment, 'currency'>,
  settings: Pick<StripeSettings, 'stripeExponents'>,
): Money {
  return (amount) => fromStripeAmount(amount, payment.currency, settings.stripeExponents);
}

/** A session's facts. `bound` = the session this payment created; another one may only add money. */
export function sessionFacts(
  session: StripeSession,
  money: Money,
  bound: boolean,
  manualCapture: boolean,
): PaymentFact[] {
  const facts: PaymentFact[] = [];
  const total = session.amount_total == null ? null : money(session.amount_total);
  const currency = session.currency ?? '';
  const paid = session.payment_status === 'paid' && session.status === 'complete';
  // With manual capture only the intent tells whether money was captured or merely authorized.
  const sessionProvesCapture = session.mode === 'subscription' || !manualCapture;
  if (paid && sessionProvesCapture && total !== null && total > 0) {
    // A subscription's first payment is its first invoice, as invoice.paid will say too.
    const captureId = session.mode === 'subscription' ? session.invoice : session.payment_intent;
    if (captureId) {
      facts.push({ type: 'captured', eventId: `${captureId}:paid`, captureId, amount: total, currency });
    }
  }
  if (!bound) return facts;
  const data: Record<string, unknown> = {};
  if (session.payment_intent) data[DATA.paymentIntent] = session.payment_intent;
  if (session.subscription) data[DATA.subscription] = session.subscription;
  if (Object.keys(data).length > 0) {
    facts.unshift({ type: 'broker_data', eventId: `${session.id}:refs`, data });
  }
  if (session.status === 'complete' && session.mode === 'subscription' && session.subscription) {
    facts.push({
      type: 'subscription',
      eventId: `${session.subscription}:signup`,
      event: 'signup',
      subscriptionId: session.subscription,
    });
  }
  if (session.status === 'complete' && (!paid || !sessionProvesCapture)) {
    // Completed but unpaid: a delayed method (SEPA, bank transfer) or a manual-capture authorization.
    facts.push({ type: 'pending', eventId: `${session.id}:complete-unpaid` });
  }
  if (session.status === 'expired') facts.push({ type: 'expired', eventId: `${session.id}:expired` });
  return facts;
}

/** The session's delayed payment failed (`checkout.session.async_payment_failed`). */
export const asyncFailedFact = (session: StripeSession): PaymentFact => ({
  type: 'failed',
  eventId: `${session.id}:async-failed`,
  reason: 'Stripe: the delayed payment method failed',
});

/** A PaymentIntent's facts; failures and cancellations count only for the bound intent. */
export function intentFacts(
  intent: StripePaymentIntent,
  money: Money,
  bound: boolean,
  expected: number,
): PaymentFact[] {
  const received = money(intent.amount_received);
  switch (intent.status) {
    case 'succeeded':
      if (received === null || received === 0) return [];
      return [
        {
          type: 'captured',
          eventId: `${intent.id}:paid`,
          captureId: intent.id,
          amount: received,
          currency: intent.currency,
          // A partial capture releases the rest; only the bound intent may be partially captured.
          ...(bound && received < expected ? { partial: true } : {}),
        },
      ];
    case 'requires_capture': {
      const capturable = money(intent.amount_capturable);
      if (!bound || capturable === null || capturable === 0) return [];
      return [
        {
          type: 'authorized',
          eventId: `${intent.id}:authorized`,
          amount: capturable,
          currency: intent.currency,
        },
      ];
    }
    case 'processing':
      return bound ? [{ type: 'pending', eventId: `${intent.id}:processing` }] : [];
    case 'canceled':
      return bound
        ? [
            {
              type: 'failed',
              eventId: `${intent.id}:canceled`,
              reason: `Stripe PaymentIntent canceled${intent.cancellation_reason ? ` (${intent.cancellation_reason})` : ''}`,
            },
          ]
        : [];
    default: {
      // requires_payment_method after a failed attempt: the buyer may still retry on the page, so the
      // decline is only noted (the session's expiry ends the payment).
      const error = intent.last_payment_error;
      const code = error?.decline_code ?? error?.code;
      if (!bound || !code) return [];
      return [
        {
          type: 'broker_data',
          eventId: `${intent.id}:declined:${code}`,
          data: { stripeLastDecline: code.slice(0, 60) },
        },
      ];
    }
  }
}

/**
 * Stripe refund → ours: `refundId` is our id when we made it (metadata), else Stripe's. A refund can
 * fail days after it succeeded (§4). Core keeps a refund's success final, so that late failure is
 * recorded as the cancellation of the refunded money (`<re_…>:failed`), which gives it back to paid
 * whatever order the two states arrive in; callers pass the refund's current state from Stripe.
 */
export function refundFacts(
  refund: StripeRefund,
  money: Money,
  payment: Pick<Payment, 'refunds'>,
): PaymentFact[] {
  const refundId = refund.metadata?.paybridge_refund_id ?? refund.id;
  const amount = money(refund.amount);
  const status = refund.status ?? 'pending';
  const eventId = `${refund.id}:${status}`;
  if (amount === null) return [];
  switch (status) {
    case 'pending':
    case 'requires_action':
      return [{ type: 'refund_pending', eventId, refundId, amount, currency: refund.currency }];
    case 'succeeded':
      return [{ type: 'refunded', eventId, refundId, amount, currency: refund.currency }];
    case 'failed':
    case 'canceled': {
      const reason = `Stripe refund ${status}${refund.failure_reason ? ` (${refund.failure_reason})` : ''}`;
      const failed: PaymentFact = { type: 'refund_failed', eventId, refundId, reason };
      const recorded = payment.refunds.find((r) => r.id === refundId && r.kind === 'refund');
      if (recorded?.status !== 'succeeded') return [failed];
      return [
        {
          type: 'reversal_cancelled',
          eventId: `${refund.id}:failed-after-success`,
          cancellationId: `${refund.id}:failed`,
          amount: recorded.amount,
          currency: refund.currency,
        },
        failed,
      ];
    }
    default:
      return [];
  }
}

/**
 * Disputes follow the reversal rules of PayPal: the disputed money leaves when the dispute opens (or
 * its funds are withdrawn) and comes back when they are reinstated or the dispute is won. Inquiries
 * (`warning_*`) move no money. The ids make withdrawal and reinstatement each count once.
 */
export function disputeFacts(dispute: StripeDispute, money: Money, eventType: string): PaymentFact[] {
  const amount = money(dispute.amount);
  if (amount === null || amount === 0 || dispute.status.startsWith('warning_')) return [];
  const withdrawn: PaymentFact = {
    type: 'refunded',
    eventId: `${dispute.id}:withdrawn`,
    refundId: dispute.id,
    amount,
    currency: dispute.currency,
    reversal: true,
  };
  const reinstated: PaymentFact = {
    type: 'reversal_cancelled',
    eventId: `${dispute.id}:reinstated`,
    cancellationId: `${dispute.id}:reinstated`,
    amount,
    currency: dispute.currency,
  };
  if (eventType === 'charge.dispute.funds_reinstated' || dispute.status === 'won')
    return [withdrawn, reinstated];
  return [withdrawn];
}

/** A subscription's status (the fact's data says Stripe's own status). */
export function subscriptionFacts(subscription: StripeSubscription, eventId: string): PaymentFact[] {
  const base = { eventId, subscriptionId: subscription.id, type: 'subscription' as const };
  switch (subscription.status) {
    case 'active':
    case 'trialing':
      return [{ ...base, event: 'signup' }];
    case 'past_due':
    case 'unpaid':
    case 'paused':
      return [{ ...base, event: 'suspended', data: { stripeStatus: subscription.status } }];
    case 'canceled':
    case 'incomplete_expired':
      return [{ ...base, event: 'cancelled' }];
    default:
      return [];
  }
}

/**
 * The fact id of a subscription state a pull found: the state, and the one the payment held when it was
 * found (with its time). A status can come back (active → past_due → active): a state the payment left
 * is news again, the state it holds is not.
 */
export function pulledSubscriptionId(
  subscription: StripeSubscription,
  held: Pick<Payment, 'subscription'>['subscription'],
): string {
  const from = held ? `${held.status}@${held.updatedAt}` : 'none';
  return `${subscription.id}:${subscription.status}:from:${from}`;
}

/** A paid invoice of the bound subscription: the first one pays this payment, later ones renew it. */
export function invoicePaidFact(invoice: StripeInvoice, amount: number): PaymentFact {
  return {
    type: 'captured',
    eventId: `${invoice.id}:paid`,
    captureId: invoice.id,
    amount,
    currency: invoice.currency,
  };
}

export const isFirstInvoice = (invoice: StripeInvoice) => invoice.billing_reason === 'subscription_create';
