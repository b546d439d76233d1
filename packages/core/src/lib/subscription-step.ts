import type { PaymentFact, SubscriptionState, TransitionEffect } from '../types';

type SubscriptionFact = Extract<PaymentFact, { type: 'subscription' }>;

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

/**
 * A subscription fact against the payment's subscription state; null when it says nothing new.
 * Cancelled and ended are final: a late signup or suspension never resurrects them, and an end is
 * not undone by a late cancellation — so their order of arrival does not matter.
 */
export function subscriptionStep(
  current: SubscriptionState | null,
  fact: SubscriptionFact,
  now: string,
): { subscription: SubscriptionState; effects: TransitionEffect[] } | null {
  const claimed = SUBSCRIPTION_STATUS[fact.event] ?? current?.status ?? 'active';
  const finality = current ? SUBSCRIPTION_FINALITY[current.status] : 0;
  const status =
    current && finality > 0 && finality >= SUBSCRIPTION_FINALITY[claimed] ? current.status : claimed;
  const data = { ...current?.data, ...fact.data };
  const subscription: SubscriptionState = { id: fact.subscriptionId, status, updatedAt: now, data };
  // The same news again (a redelivery under another event id) is a no-op: no transition, no event.
  // A payment failure is an occurrence, not a state: each one (a distinct event id) is news.
  if (
    current &&
    fact.event !== 'payment_failed' &&
    current.id === subscription.id &&
    current.status === status &&
    JSON.stringify(current.data ?? {}) === JSON.stringify(data)
  ) {
    return null;
  }
  return {
    subscription,
    // Overruled news (a signup arriving after the cancellation) is recorded but announces nothing.
    effects:
      status === claimed ? [{ event: SUBSCRIPTION_EVENT[fact.event], subscriptionEvent: fact.event }] : [],
  };
}
