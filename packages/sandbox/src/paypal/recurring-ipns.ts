import type { SubscriptionTerm } from './checkout-request';
import { formatAmount } from './currencies';
import { paypalDate } from './ids';
import type { FormPairs } from './ipn-encoding';
import { type SubscriptionState, termOfCycle } from './subscriptions';

/**
 * The `recurring_payment_*` IPN types that handlers receive for Standard `I-` subscriptions
 * (protocol reference paypal-api.md §8). They name the profile in `recurring_payment_id` (no `subscr_id`)
 * and carry its `profile_status`; field set after the observed payloads the reference cites.
 */
export type RecurringIpnType =
  | 'recurring_payment_profile_cancel'
  | 'recurring_payment_suspended'
  | 'recurring_payment_suspended_due_to_max_failed_payment'
  | 'recurring_payment_skipped'
  | 'recurring_payment_failed';

const UNIT_NAMES: Record<SubscriptionTerm['unit'], { one: string; many: string }> = {
  D: { one: 'Daily', many: 'Days' },
  W: { one: 'Weekly', many: 'Weeks' },
  M: { one: 'Monthly', many: 'Months' },
  Y: { one: 'Yearly', many: 'Years' },
};

/** `Monthly`, `every 3 Months` (wording UNCONFIRMED). */
export function paymentCycle(term: SubscriptionTerm): string {
  const names = UNIT_NAMES[term.unit];
  return term.count === 1 ? names.one : `every ${term.count} ${names.many}`;
}

/** The profile's status as the API and these IPNs spell it (reference §7). */
export function profileStatus(
  subscription: SubscriptionState,
): 'Active' | 'Suspended' | 'Cancelled' | 'Expired' {
  if (subscription.status === 'active') return 'Active';
  if (subscription.status === 'suspended') return 'Suspended';
  if (subscription.status === 'cancelled' || subscription.cancelledAt !== undefined) return 'Cancelled';
  return 'Expired';
}

/** The term of the cycle being billed now (the regular term once the plan has run out). */
export function currentTerm(subscription: SubscriptionState): SubscriptionTerm | undefined {
  const plan = subscription.order.plan;
  return plan ? (termOfCycle(plan, subscription.cycle) ?? plan.regular) : undefined;
}

export function recurringFields(
  subscription: SubscriptionState,
  txnType: RecurringIpnType,
  now: number,
): FormPairs {
  const { order, payer } = subscription;
  const term = currentTerm(subscription);
  const money = (minor: number) => formatAmount(minor, order.currency);
  const amount = money(term?.amountMinor ?? 0);
  const status = profileStatus(subscription);
  return [
    ['txn_type', txnType],
    ['recurring_payment_id', subscription.subscrId],
    ['profile_status', status],
    ['product_name', order.itemName],
    ['product_type', '1'],
    ['period_type', ' Regular'],
    ['payment_cycle', term ? paymentCycle(term) : ''],
    ['amount_per_cycle', amount],
    ['amount', amount],
    ['currency_code', order.currency],
    ['outstanding_balance', money(subscription.outstandingMinor)],
    ['initial_payment_amount', money(0)],
    ['next_payment_date', status === 'Active' ? paypalDate(subscription.cycleEndsAt) : 'N/A'],
    ['time_created', paypalDate(subscription.createdAt)],
    ['payer_email', payer.email],
    ['payer_id', payer.payerId],
    ['payer_status', 'verified'],
    ['first_name', payer.firstName],
    ['last_name', payer.lastName],
    ['receiver_email', order.account.business],
    ['residence_country', 'US'],
    ...(order.vars.invoice === undefined ? [] : ([['rp_invoice_id', order.vars.invoice]] as FormPairs)),
    ['payment_date', paypalDate(now)],
  ];
}
