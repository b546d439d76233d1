import type { Payment, PaymentFact, SubscriptionState, TransitionEffect } from '../types';
import { type Step, unchanged } from './step';

export type SubscriptionFact = Extract<PaymentFact, { type: 'subscription' }>;

const SUBSCRIPTION_STATUS: Record<SubscriptionFact['event'], SubscriptionState['status'] | null> = {
  signup: 'active',
  modified: null,
  payment_failed: null,
  suspended: 'suspended',
  cancelled: 'cancelled',
  ended: 'ended',
};

const SUBSCRIPTION_FINALITY: Record<SubscriptionState['status'], number> = {
  active: 0,
  suspended: 0,
  cancelled: 1,
  ended: 2,
};

const SUBSCRIPTION_EVENT: Record<SubscriptionFact['event'], string> = {
  signup: 'subscription.signup',
  modified: 'subscription.modified',
  payment_failed: 'subscription.paymentFailed',
  suspended: 'subscription.suspended',
  cancelled: 'subscription.cancelled',
  ended: 'subscription.ended',
};

const STATUS_EVENT: Record<SubscriptionState['status'], SubscriptionFact['event']> = {
  active: 'signup',
  suspended: 'suspended',
  cancelled: 'cancelled',
  ended: 'ended',
};

/**
 * A subscription fact against the payment's subscription state; null when it says nothing new.
 * Cancelled and ended are final: a late signup or suspension never resurrects them, and an end is
 * not undone by a late cancellation — so their order of arrival does not matter.
 *
 * Binding (DESIGN §6, `binding.ts` refuses news of another subscription before this runs): the first
 * signup binds the subscription id. News that comes before any signup is held on the state
 * (`awaitingSignup`) without being announced; the signup of the same subscription binds it and
 * announces where it stands, a signup of another subscription replaces it.
 */
export function nextSubscription(
  current: SubscriptionState | null,
  fact: SubscriptionFact,
  now: string,
): { subscription: SubscriptionState; effects: TransitionEffect[] } | null {
  // News held for another subscription never reaches the one that signs up.
  const base = current?.awaitingSignup && current.id !== fact.subscriptionId ? null : current;
  const claimed = SUBSCRIPTION_STATUS[fact.event] ?? base?.status ?? 'active';
  const finality = base ? SUBSCRIPTION_FINALITY[base.status] : 0;
  const status = base && finality > 0 && finality >= SUBSCRIPTION_FINALITY[claimed] ? base.status : claimed;
  const data = { ...base?.data, ...fact.data };
  const awaitingSignup = fact.event !== 'signup' && (base === null || base.awaitingSignup === true);
  const subscription: SubscriptionState = {
    id: fact.subscriptionId,
    status,
    updatedAt: now,
    data,
    ...(awaitingSignup ? { awaitingSignup: true as const } : {}),
  };
  // The same news again (a redelivery under another event id) is a no-op: no transition, no event.
  // A payment failure is an occurrence, not a state: each one (a distinct event id) is news.
  if (
    current &&
    fact.event !== 'payment_failed' &&
    current.id === subscription.id &&
    current.status === status &&
    Boolean(current.awaitingSignup) === awaitingSignup &&
    JSON.stringify(current.data ?? {}) === JSON.stringify(data)
  ) {
    return null;
  }
  if (awaitingSignup) return { subscription, effects: [] };
  if (status === claimed) {
    return {
      subscription,
      effects: [{ event: SUBSCRIPTION_EVENT[fact.event], subscriptionEvent: fact.event }],
    };
  }
  // Overruled news (a signup arriving after the cancellation) announces nothing — unless it binds
  // news held until now, which is announced as it stands.
  if (!base?.awaitingSignup) return { subscription, effects: [] };
  const held = STATUS_EVENT[status];
  return { subscription, effects: [{ event: SUBSCRIPTION_EVENT[held], subscriptionEvent: held }] };
}

/** subscription: the payment's subscription state moves on; news it already holds changes nothing. */
export function subscriptionStep(payment: Payment, fact: SubscriptionFact, now: string): Step {
  const next = nextSubscription(payment.subscription, fact, now);
  if (!next) return unchanged(payment, `subscription already ${payment.subscription?.status}`);
  return { payment: { ...payment, subscription: next.subscription }, effects: next.effects };
}
