import { formatAmount } from './currencies';
import type { Ledger } from './ledger';
import type { NvpContext, NvpOperation } from './nvp-api';
import { type NvpPairs, nvpDate } from './nvp-envelope';
import { NvpRefusal, nvpErrors } from './nvp-errors';
import { currentTerm, profileStatus } from './recurring-ipns';
import type { SubscriptionBook } from './subscription-book';
import type { SubscriptionState } from './subscriptions';

const PERIOD_NAMES = { D: 'Day', W: 'Week', M: 'Month', Y: 'Year' } as const;

/** The profile named by PROFILEID, when the caller's account owns it (11551 missing, 11552 otherwise). */
function requireProfile(book: SubscriptionBook, context: NvpContext): SubscriptionState {
  const profileId = context.fields.get('PROFILEID') ?? '';
  if (profileId === '') throw new NvpRefusal([nvpErrors.profileIdMissing()]);
  const subscription = book.find(profileId);
  const business = context.account.business.toLowerCase();
  if (!subscription || subscription.order.account.business.toLowerCase() !== business) {
    throw new NvpRefusal([nvpErrors.profileIdInvalid()]);
  }
  return subscription;
}

/**
 * `ManageRecurringPaymentsProfileStatus` (reference §7) on a Subscribe-button `I-` profile: Cancel (active
 * or suspended; `subscr_cancel` and/or `recurring_payment_profile_cancel` per `profileCancelIpn`), Suspend
 * (active; `recurring_payment_suspended`), Reactivate (suspended; no IPN, missed cycles are skipped).
 */
export function manageProfileStatus(book: SubscriptionBook): NvpOperation {
  return (context) => {
    const subscription = requireProfile(book, context);
    const action = context.fields.get('ACTION') ?? '';
    const status = subscription.status;
    if (action === 'Cancel') {
      if (status !== 'active' && status !== 'suspended') throw new NvpRefusal([nvpErrors.cancelStatus()]);
      book.cancel(subscription.subscrId);
    } else if (action === 'Suspend') {
      if (status !== 'active') throw new NvpRefusal([nvpErrors.suspendStatus()]);
      book.suspend(subscription.subscrId);
    } else if (action === 'Reactivate') {
      if (status !== 'suspended') throw new NvpRefusal([nvpErrors.reactivateStatus()]);
      book.reactivate(subscription.subscrId);
    } else {
      throw new NvpRefusal([nvpErrors.actionInvalid()]);
    }
    return { fields: [['PROFILEID', subscription.subscrId]] };
  };
}

/** Total billing cycles of the plan (trials + regular), or undefined when it recurs without end. */
function totalCycles(subscription: SubscriptionState): number | undefined {
  const plan = subscription.order.plan;
  if (!plan) return 1;
  const trials = (plan.trial1 ? 1 : 0) + (plan.trial2 ? 1 : 0);
  if (!plan.recurring) return trials + 1;
  return plan.recurTimes === undefined ? undefined : trials + plan.recurTimes;
}

/**
 * `GetRecurringPaymentsProfileDetails` (reference §7): the profile's status, schedule, failures,
 * outstanding balance and last payment, from the subscription book and the ledger.
 */
export function profileDetails(book: SubscriptionBook, ledger: Ledger): NvpOperation {
  return (context) => {
    const subscription = requireProfile(book, context);
    const { order, payer } = subscription;
    const money = (minor: number) => formatAmount(minor, order.currency);
    const regular = order.plan?.regular;
    const term = currentTerm(subscription);
    const payments = ledger
      .all()
      .filter(
        (tx) => tx.kind === 'payment' && tx.subscrId === subscription.subscrId && tx.status !== 'Pending',
      );
    const last = payments.at(-1);
    const total = totalCycles(subscription);
    const status = profileStatus(subscription);
    const fields: NvpPairs = [
      ['PROFILEID', subscription.subscrId],
      ['STATUS', status],
      ['AUTOBILLOUTAMT', 'NoAutoBill'],
      ['DESC', order.itemName],
      ['SUBSCRIBERNAME', `${payer.firstName} ${payer.lastName}`],
      ['PROFILESTARTDATE', nvpDate(subscription.createdAt)],
      ...(order.vars.invoice === undefined ? [] : ([['PROFILEREFERENCE', order.vars.invoice]] as NvpPairs)),
      ...(status === 'Active' ? ([['NEXTBILLINGDATE', nvpDate(subscription.cycleEndsAt)]] as NvpPairs) : []),
      ['NUMCYCLESCOMPLETED', String(payments.length)],
      ...(total === undefined
        ? []
        : ([['NUMCYCLESREMAINING', String(Math.max(0, total - subscription.cycle - 1))]] as NvpPairs)),
      ['OUTSTANDINGBALANCE', money(subscription.outstandingMinor)],
      ['FAILEDPAYMENTCOUNT', String(subscription.failures)],
      ...(last
        ? ([
            ['LASTPAYMENTDATE', nvpDate(last.createdAt)],
            ['LASTPAYMENTAMT', money(last.grossMinor)],
          ] as NvpPairs)
        : []),
      ...(regular
        ? ([
            ['BILLINGPERIOD', PERIOD_NAMES[regular.unit]],
            ['BILLINGFREQUENCY', String(regular.count)],
            ['TOTALBILLINGCYCLES', String(order.plan?.recurring ? (order.plan.recurTimes ?? 0) : 1)],
            ['REGULARAMT', money(regular.amountMinor)],
          ] as NvpPairs)
        : []),
      ['AMT', money(term?.amountMinor ?? 0)],
      ['CURRENCYCODE', order.currency],
    ];
    return { fields };
  };
}
