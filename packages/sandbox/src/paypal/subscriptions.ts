import type { CheckoutOrder, SubscriptionPlan, SubscriptionTerm } from './checkout-request';
import type { Payer } from './ipn-messages';

export interface SubscriptionState {
  subscrId: string;
  order: CheckoutOrder;
  payer: Payer;
  /**
   * active: renewals run; suspended (profile suspended through the API or after failed payments): no
   * renewals, the term does not end; cancelled: no renewals, `subscr_eot` when the paid term ends; ended.
   */
  status: 'active' | 'suspended' | 'cancelled' | 'ended';
  /** Sandbox time of the signup. */
  createdAt: number;
  /** When the subscription was cancelled (an ended one without it expired). */
  cancelledAt?: number;
  /** Failed charges not yet paid (minor units): the profile's outstanding balance. */
  outstandingMinor: number;
  /** Index of the current cycle in the plan's sequence (trial1, trial2, regular…). */
  cycle: number;
  cycleEndsAt: number;
  /** Consecutive failed charges reported with failSubscriptionPayment. */
  failures: number;
}

/**
 * The term of cycle `index`: the trials first, then the regular term — once without `src=1`,
 * `srt` times with it, forever without `srt` (protocol reference §3).
 */
export function termOfCycle(plan: SubscriptionPlan, index: number): SubscriptionTerm | undefined {
  const trials = [plan.trial1, plan.trial2].filter((term): term is SubscriptionTerm => term !== undefined);
  if (index < trials.length) return trials[index];
  const regularIndex = index - trials.length;
  const regularCount = plan.recurring ? (plan.recurTimes ?? Number.POSITIVE_INFINITY) : 1;
  return regularIndex < regularCount ? plan.regular : undefined;
}

/** Calendar arithmetic in UTC: a month from Jan 31 is the last day of February, as billing systems do. */
export function addTerm(start: number, term: SubscriptionTerm): number {
  const day = 24 * 3600 * 1000;
  if (term.unit === 'D') return start + term.count * day;
  if (term.unit === 'W') return start + term.count * 7 * day;
  const date = new Date(start);
  const months = term.unit === 'M' ? term.count : term.count * 12;
  const target = new Date(date);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.getTime();
}

export interface RenewalHandlers {
  /** A new cycle started at `at`: charge its amount (a `subscr_payment`), unless it is a free trial. */
  charge(subscription: SubscriptionState, term: SubscriptionTerm, at: number): void;
  /** The paid-up term is over: `subscr_eot`. */
  endOfTerm(subscription: SubscriptionState): void;
}

/** Move every subscription to `now`: start the cycles that began, end the terms that finished. */
export function advanceSubscriptions(
  subscriptions: Iterable<SubscriptionState>,
  now: number,
  handlers: RenewalHandlers,
): void {
  for (const subscription of subscriptions) {
    const plan = subscription.order.plan;
    // A suspended profile neither renews nor ends until it is reactivated or cancelled.
    if (!plan || subscription.status === 'suspended') continue;
    while (subscription.status !== 'ended' && subscription.cycleEndsAt <= now) {
      const nextTerm =
        subscription.status === 'active' ? termOfCycle(plan, subscription.cycle + 1) : undefined;
      if (!nextTerm) {
        subscription.status = 'ended';
        handlers.endOfTerm(subscription);
        break;
      }
      const startsAt = subscription.cycleEndsAt;
      subscription.cycle += 1;
      subscription.cycleEndsAt = addTerm(startsAt, nextTerm);
      if (nextTerm.amountMinor > 0) handlers.charge(subscription, nextTerm, startsAt);
    }
  }
}
