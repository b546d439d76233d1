import type { SandboxClock } from '../lib/clock';
import type { CheckoutOrder, SubscriptionTerm } from './checkout-request';
import { parseAmount } from './currencies';
import type { PaypalFaults } from './faults';
import { newSubscrId, paypalDate } from './ids';
import { type Payer, type SubscriptionNotice, subscriptionFields } from './ipn-messages';
import type { IpnSender, SentIpn } from './ipn-sender';
import type { Ledger } from './ledger';
import { currentTerm, type RecurringIpnType, recurringFields } from './recurring-ipns';
import { addTerm, advanceSubscriptions, type SubscriptionState, termOfCycle } from './subscriptions';

const DAY = 24 * 3600 * 1000;
// Failed-payment reattempts (protocol reference §3, 2012 guide p.145): 3 days after the failure, then
// 5 days later; when both fail too the subscription is cancelled.
const REATTEMPT_DELAYS = [3 * DAY, 5 * DAY];

/** Which IPNs a cancellation sends: Standard's `subscr_cancel`, the profile family's, or both (§7). */
export type ProfileCancelIpn = 'subscr_cancel' | 'recurring_payment_profile_cancel' | 'both';

/** The `recurring_payment_*` events a test can make PayPal report (§8). */
export type RecurringEvent = 'profile_cancel' | 'suspended_due_to_max_failed_payment' | 'skipped' | 'failed';

export interface PaypalSubscriptionRecord {
  subscrId: string;
  status: SubscriptionState['status'];
  cycle: number;
  cycleEndsAt: number;
  invoice?: string;
  custom?: string;
}

export function createSubscriptionBook(
  clock: SandboxClock,
  sender: IpnSender,
  ledger: Ledger,
  faults: () => PaypalFaults = () => ({}),
  cancelIpn: ProfileCancelIpn = 'subscr_cancel',
) {
  const subscriptions = new Map<string, SubscriptionState>();

  function notice(
    subscription: SubscriptionState,
    txnType: SubscriptionNotice['txnType'],
    extra: Partial<SubscriptionNotice> = {},
  ): SentIpn | null {
    if (txnType === 'subscr_eot' && faults().omitEot) return null;
    const fields = subscriptionFields({
      txnType,
      subscrId: subscription.subscrId,
      order: subscription.order,
      payer: subscription.payer,
      date: paypalDate(clock.now()),
      ...extra,
    });
    return sender.send(subscription.order.vars.notify_url, fields);
  }

  function recurringNotice(subscription: SubscriptionState, txnType: RecurringIpnType): SentIpn | null {
    return sender.send(
      subscription.order.vars.notify_url,
      recurringFields(subscription, txnType, clock.now()),
    );
  }

  /** Cancels an active or suspended subscription with the configured IPN(s); `only` forces one family. */
  function cancelNow(
    subscription: SubscriptionState,
    only?: 'recurring_payment_profile_cancel',
  ): SentIpn | null {
    if (subscription.status !== 'active' && subscription.status !== 'suspended') {
      throw new Error(`Subscription ${subscription.subscrId} is ${subscription.status}`);
    }
    subscription.status = 'cancelled';
    subscription.cancelledAt = clock.now();
    const family = only ?? cancelIpn;
    const first =
      family === 'recurring_payment_profile_cancel' ? null : notice(subscription, 'subscr_cancel');
    const second =
      family === 'subscr_cancel' ? null : recurringNotice(subscription, 'recurring_payment_profile_cancel');
    return first ?? second;
  }

  /** A failed charge of the current cycle adds to the outstanding balance. */
  function addFailure(subscription: SubscriptionState): void {
    subscription.failures += 1;
    subscription.outstandingMinor += currentTerm(subscription)?.amountMinor ?? 0;
  }

  function get(subscrId: string): SubscriptionState {
    const subscription = subscriptions.get(subscrId);
    if (!subscription) throw new Error(`No PayPal subscription ${subscrId} in the sandbox`);
    return subscription;
  }

  function charge(subscription: SubscriptionState, term: SubscriptionTerm, pendingReason?: string) {
    subscription.failures = 0;
    return ledger.pay(subscription.order, subscription.payer, term.amountMinor, {
      status: pendingReason ? 'Pending' : 'Completed',
      subscrId: subscription.subscrId,
      ...(pendingReason ? { pendingReason } : {}),
    });
  }

  /** Renewals and ends of term that the clock has reached; run at each flush. */
  function tick(): void {
    advanceSubscriptions(subscriptions.values(), clock.now(), {
      charge: (subscription, term) => charge(subscription, term),
      endOfTerm: (subscription) => notice(subscription, 'subscr_eot'),
    });
  }

  return {
    tick,
    /** The buyer subscribed: `subscr_signup`, then the first cycle's `subscr_payment` unless it is free. */
    signup(order: CheckoutOrder, payer: Payer, pendingReason?: string) {
      const plan = order.plan;
      if (!plan) throw new Error('Not a subscription checkout');
      const first = termOfCycle(plan, 0) ?? plan.regular;
      const subscription: SubscriptionState = {
        subscrId: newSubscrId(),
        order,
        payer,
        status: 'active',
        cycle: 0,
        cycleEndsAt: addTerm(clock.now(), first),
        failures: 0,
        createdAt: clock.now(),
        outstandingMinor: 0,
      };
      subscriptions.set(subscription.subscrId, subscription);
      const signupIpn = notice(subscription, 'subscr_signup');
      const payment = first.amountMinor > 0 ? charge(subscription, first, pendingReason) : null;
      return { subscription, signupIpn, payment };
    },

    /** A charge failed: `subscr_failed` with `retry_at`; the third failure in a row cancels. */
    fail(subscrId: string): SentIpn | null {
      const subscription = get(subscrId);
      if (subscription.status !== 'active')
        throw new Error(`Subscription ${subscrId} is ${subscription.status}`);
      const plan = subscription.order.plan;
      const term = (plan && termOfCycle(plan, subscription.cycle)) ?? plan?.regular;
      const retryDelay = plan?.reattempt ? REATTEMPT_DELAYS[subscription.failures] : undefined;
      addFailure(subscription);
      const ipn = notice(subscription, 'subscr_failed', {
        ...(retryDelay !== undefined ? { retryAt: paypalDate(clock.now() + retryDelay) } : {}),
        ...(term ? { failedAmountMinor: term.amountMinor } : {}),
      });
      if (retryDelay === undefined) {
        subscription.status = 'ended';
        subscription.cancelledAt = clock.now();
        notice(subscription, 'subscr_cancel');
        notice(subscription, 'subscr_eot');
      }
      return ipn;
    },

    /** Buyer or merchant cancels: `subscr_cancel` (and/or the profile IPN) now, `subscr_eot` when the paid-up term ends. */
    cancel: (subscrId: string): SentIpn | null => cancelNow(get(subscrId)),

    /** The merchant suspends the profile through the API: no renewals; `recurring_payment_suspended`. */
    suspend(subscrId: string): SentIpn | null {
      const subscription = get(subscrId);
      if (subscription.status !== 'active')
        throw new Error(`Subscription ${subscrId} is ${subscription.status}`);
      subscription.status = 'suspended';
      return recurringNotice(subscription, 'recurring_payment_suspended');
    },

    /** Back to active; the cycles that fell due while suspended are skipped, not charged. No IPN. */
    reactivate(subscrId: string): void {
      const subscription = get(subscrId);
      if (subscription.status !== 'suspended')
        throw new Error(`Subscription ${subscrId} is ${subscription.status}`);
      subscription.status = 'active';
      const plan = subscription.order.plan;
      while (plan && subscription.cycleEndsAt <= clock.now()) {
        const next = termOfCycle(plan, subscription.cycle + 1);
        if (!next) break;
        subscription.cycle += 1;
        subscription.cycleEndsAt = addTerm(subscription.cycleEndsAt, next);
      }
    },

    /** PayPal reports a `recurring_payment_*` event of §8, with its effect on the profile. */
    recurring(subscrId: string, event: RecurringEvent): SentIpn | null {
      const subscription = get(subscrId);
      if (event === 'profile_cancel') return cancelNow(subscription, 'recurring_payment_profile_cancel');
      if (subscription.status !== 'active')
        throw new Error(`Subscription ${subscrId} is ${subscription.status}`);
      addFailure(subscription);
      if (event === 'suspended_due_to_max_failed_payment') subscription.status = 'suspended';
      return recurringNotice(subscription, `recurring_payment_${event}`);
    },

    /** The subscription with this id (read only), for the API. */
    find: (subscrId: string): SubscriptionState | undefined => subscriptions.get(subscrId),

    /** End of term now (e.g. PayPal ended it): `subscr_eot`, no more renewals. */
    end(subscrId: string): SentIpn | null {
      const subscription = get(subscrId);
      if (subscription.status === 'ended') throw new Error(`Subscription ${subscrId} already ended`);
      subscription.status = 'ended';
      return notice(subscription, 'subscr_eot');
    },

    /** `subscr_modify`: new regular terms (default: unchanged), effective from the next cycle. */
    modify(subscrId: string, changes: { amount?: string; period?: SubscriptionTerm } = {}): SentIpn | null {
      const subscription = get(subscrId);
      const order = subscription.order;
      const plan = order.plan;
      if (!plan) throw new Error(`Subscription ${subscrId} has no plan`);
      const regular = { ...(changes.period ?? plan.regular) };
      if (changes.amount !== undefined) {
        const parsed = parseAmount(changes.amount, order.currency);
        if ('error' in parsed || parsed.minor <= 0)
          throw new Error(`Bad subscription amount ${changes.amount}`);
        regular.amountMinor = parsed.minor;
      }
      subscription.order = { ...order, plan: { ...plan, regular } };
      return notice(subscription, 'subscr_modify');
    },

    list(): PaypalSubscriptionRecord[] {
      return [...subscriptions.values()].map((s) => ({
        subscrId: s.subscrId,
        status: s.status,
        cycle: s.cycle,
        cycleEndsAt: s.cycleEndsAt,
        ...(s.order.vars.invoice !== undefined ? { invoice: s.order.vars.invoice } : {}),
        ...(s.order.vars.custom !== undefined ? { custom: s.order.vars.custom } : {}),
      }));
    },
  };
}

export type SubscriptionBook = ReturnType<typeof createSubscriptionBook>;
