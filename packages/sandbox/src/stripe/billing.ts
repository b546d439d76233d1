import type { ApiCall } from './context';
import { byId } from './customers';
import { type EventCause, emit } from './events';
import { StripeFailure } from './http';
import {
  base,
  type LineItem,
  lookup,
  newId,
  nowSeconds,
  put,
  type StripeObject,
  type StripeState,
} from './model';
import { invoiceIntentData, newCharge, newPaymentIntent, type PaymentMethodDetails } from './payments';

/** Adds one billing interval in UTC (calendar months and years, like Stripe's billing anchor). */
export function addInterval(seconds: number, recurring: NonNullable<LineItem['recurring']>): number {
  const date = new Date(seconds * 1000);
  const n = recurring.interval_count;
  if (recurring.interval === 'day') date.setUTCDate(date.getUTCDate() + n);
  if (recurring.interval === 'week') date.setUTCDate(date.getUTCDate() + 7 * n);
  if (recurring.interval === 'month') date.setUTCMonth(date.getUTCMonth() + n);
  if (recurring.interval === 'year') date.setUTCFullYear(date.getUTCFullYear() + n);
  return Math.floor(date.getTime() / 1000);
}

export interface SubscriptionStart {
  customer: string;
  lineItems: LineItem[];
  metadata: Record<string, string>;
  trialPeriodDays?: number;
  extra: Record<string, unknown>;
  details: PaymentMethodDetails;
}

/**
 * A paid subscription Checkout: the Subscription, its first Invoice paid by a PaymentIntent (basil
 * shapes, reference §1.2: `invoice.parent.subscription_details`, periods on the items), and renewals
 * on the sandbox clock.
 */
export function startSubscription(
  state: StripeState,
  account: string | null,
  start: SubscriptionStart,
  cause: EventCause,
): { subscription: StripeObject; invoice: StripeObject } {
  const now = nowSeconds(state);
  const recurring = start.lineItems.find((l) => l.recurring)?.recurring as NonNullable<LineItem['recurring']>;
  const trialEnd = start.trialPeriodDays ? now + start.trialPeriodDays * 86400 : null;
  const periodEnd = trialEnd ?? addInterval(now, recurring);
  const subscription = put(state, account, {
    ...base(state, 'subscription', newId('sub', 24)),
    application_fee_percent: start.extra.application_fee_percent ?? null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    currency: start.lineItems[0]?.currency,
    customer: start.customer,
    description: start.extra.description ?? null,
    ended_at: null,
    items: {
      object: 'list',
      data: start.lineItems
        .filter((l) => l.recurring)
        .map((l) => ({
          id: newId('si', 14),
          object: 'subscription_item',
          current_period_end: periodEnd,
          current_period_start: now,
          price: {
            id: `price_${l.id.slice(3)}`,
            object: 'price',
            currency: l.currency,
            unit_amount: l.unitAmount,
            recurring: l.recurring,
            type: 'recurring',
          },
          quantity: l.quantity,
        })),
      has_more: false,
    },
    latest_invoice: null,
    metadata: { ...start.metadata },
    on_behalf_of: start.extra.on_behalf_of ?? null,
    start_date: now,
    status: trialEnd ? 'trialing' : 'active',
    transfer_data: start.extra.transfer_data ?? null,
    trial_end: trialEnd,
    trial_start: trialEnd ? now : null,
  });
  emit(state, account, 'customer.subscription.created', subscription, cause);
  const firstAmount = trialEnd ? 0 : start.lineItems.reduce((sum, l) => sum + l.unitAmount * l.quantity, 0);
  const invoice = billInvoice(
    state,
    account,
    subscription,
    firstAmount,
    'subscription_create',
    start.details,
    cause,
    false,
  );
  scheduleRenewal(state, account, subscription.id, periodEnd, start.details);
  return { subscription, invoice };
}

const periodEndOf = (sub: StripeObject): number =>
  (sub.items as { data: Array<{ current_period_end: number }> }).data[0]?.current_period_end ?? 0;

function scheduleRenewal(
  state: StripeState,
  account: string | null,
  subId: string,
  at: number,
  details: PaymentMethodDetails,
): void {
  state.timers.push({ at: at * 1000, run: () => renew(state, account, subId, details) });
}

/** The period boundary: end a subscription set to cancel, or bill the next period (or fail to). */
function renew(
  state: StripeState,
  account: string | null,
  subId: string,
  details: PaymentMethodDetails,
): void {
  const sub = lookup(state, account, subId, 'subscription');
  if (!sub || sub.status === 'canceled') return;
  const cause: EventCause = { id: null, idempotency_key: null };
  if (sub.cancel_at_period_end) {
    endSubscription(state, account, sub, 'cancellation_requested', cause);
    return;
  }
  const items = (sub.items as { data: Array<Record<string, unknown>> }).data;
  const start = periodEndOf(sub);
  const first = items[0];
  if (!first) return;
  const recurring = (first.price as { recurring: NonNullable<LineItem['recurring']> }).recurring;
  const end = addInterval(start, recurring);
  const previous = { status: sub.status, items: structuredClone(sub.items) };
  for (const item of items) {
    item.current_period_start = start;
    item.current_period_end = end;
  }
  const amount = items.reduce(
    (sum, i) => sum + (i.price as { unit_amount: number }).unit_amount * (i.quantity as number),
    0,
  );
  const fails = state.failingRenewals.delete(subId);
  billInvoice(state, account, sub, amount, 'subscription_cycle', details, cause, fails);
  sub.status = fails ? 'past_due' : 'active';
  emit(state, account, 'customer.subscription.updated', sub, cause, previous);
  scheduleRenewal(state, account, subId, end, details);
}

function billInvoice(
  state: StripeState,
  account: string | null,
  sub: StripeObject,
  amount: number,
  reason: string,
  details: PaymentMethodDetails,
  cause: EventCause,
  fails: boolean,
): StripeObject {
  const now = nowSeconds(state);
  const invoice = put(state, account, {
    ...base(state, 'invoice', newId('in', 24)),
    amount_due: amount,
    amount_paid: fails ? 0 : amount,
    amount_remaining: fails ? amount : 0,
    attempt_count: 1,
    billing_reason: reason,
    currency: sub.currency,
    customer: sub.customer,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: {
        metadata: { ...(sub.metadata as Record<string, string>) },
        subscription: sub.id,
      },
    },
    payments: { object: 'list', data: [] as unknown[], has_more: false, url: '/v1/invoice_payments' },
    period_end: periodEndOf(sub),
    period_start: now,
    status: fails ? 'open' : 'paid',
    status_transitions: { finalized_at: now, paid_at: fails ? null : now },
  });
  sub.latest_invoice = invoice.id;
  if (amount > 0) {
    const pi = newPaymentIntent(state, account, {
      amount,
      currency: sub.currency as string,
      captureMethod: 'automatic',
      customer: sub.customer as string,
      data: invoiceIntentData(sub, amount),
      methods: [details.type],
    });
    const charge = newCharge(
      state,
      account,
      pi,
      details,
      fails ? 'failed' : 'succeeded',
      fails ? { code: 'card_declined', message: 'Your card was declined.' } : undefined,
    );
    if (fails) {
      pi.status = 'requires_payment_method';
      pi.last_payment_error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
      };
    } else {
      pi.status = 'succeeded';
      pi.amount_received = amount;
    }
    (invoice.payments as { data: unknown[] }).data.push({
      id: newId('inpay', 24),
      object: 'invoice_payment',
      amount_paid: fails ? null : amount,
      currency: sub.currency,
      invoice: invoice.id,
      is_default: true,
      payment: { type: 'payment_intent', payment_intent: pi.id },
      status: fails ? 'open' : 'paid',
    });
    emit(state, account, fails ? 'charge.failed' : 'charge.succeeded', charge, cause);
    emit(state, account, fails ? 'payment_intent.payment_failed' : 'payment_intent.succeeded', pi, cause);
  }
  emit(state, account, 'invoice.finalized', invoice, cause);
  if (fails) {
    emit(state, account, 'invoice.payment_failed', invoice, cause);
  } else {
    emit(state, account, 'invoice.paid', invoice, cause);
    emit(state, account, 'invoice.payment_succeeded', invoice, cause);
  }
  return invoice;
}

function endSubscription(
  state: StripeState,
  account: string | null,
  sub: StripeObject,
  reason: string,
  cause: EventCause,
): void {
  const now = nowSeconds(state);
  sub.status = 'canceled';
  sub.canceled_at = sub.canceled_at ?? now;
  sub.ended_at = now;
  sub.cancellation_details = { ...(sub.cancellation_details as object), reason };
  emit(state, account, 'customer.subscription.deleted', sub, cause);
}

/** `POST /v1/subscriptions/:id`: cancel at period end (or undo it), metadata. */
export function updateSubscription(call: ApiCall, id: string): StripeObject {
  const sub = byId(call, 'subscription', id);
  const p = call.params.onlyKnown(['cancel_at_period_end', 'metadata', 'cancellation_details']);
  if (sub.status === 'canceled') {
    throw StripeFailure.state(
      'A canceled subscription can only update its cancellation_details and metadata.',
      undefined,
    );
  }
  const previous: Record<string, unknown> = {};
  const atEnd = p.boolean('cancel_at_period_end');
  if (atEnd !== undefined && atEnd !== sub.cancel_at_period_end) {
    previous.cancel_at_period_end = sub.cancel_at_period_end;
    previous.cancel_at = sub.cancel_at;
    sub.cancel_at_period_end = atEnd;
    sub.cancel_at = atEnd ? periodEndOf(sub) : null;
    sub.canceled_at = atEnd ? nowSeconds(call.state) : null;
  }
  if (p.has('metadata')) {
    previous.metadata = { ...(sub.metadata as object) };
    sub.metadata = { ...(sub.metadata as Record<string, string>), ...p.metadata() };
  }
  emit(call.state, call.account, 'customer.subscription.updated', sub, call.cause, previous);
  return sub;
}

/** `DELETE /v1/subscriptions/:id`: cancels now and answers the canceled Subscription (reference §1.4, §6). */
export function deleteSubscription(call: ApiCall, id: string): StripeObject {
  const sub = byId(call, 'subscription', id);
  call.params.onlyKnown(['invoice_now', 'prorate', 'cancellation_details']);
  if (sub.status === 'canceled') throw StripeFailure.missing('subscription', id);
  endSubscription(call.state, call.account, sub, 'cancellation_requested', call.cause);
  return sub;
}
