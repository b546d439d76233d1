import type {
  Anomaly,
  NotificationContext,
  NotificationOutcome,
  Payment,
  PaymentFact,
} from '@paybridge/core';
import { subscriptionPeriod } from './checkout-form';
import { parsePaypalAmount } from './currencies';
import {
  checkMessage,
  type InterpretOptions,
  IPN_ACK,
  paymentByReference,
  rejected,
  verified,
} from './ipn-checks';
import type { IpnMessage } from './ipn-message';

export type SubscriptionEvent = Extract<PaymentFact, { type: 'subscription' }>['event'];

export const SUBSCRIPTION_EVENTS: Readonly<Record<string, SubscriptionEvent>> = {
  subscr_signup: 'signup',
  subscr_failed: 'payment_failed',
  subscr_cancel: 'cancelled',
  subscr_eot: 'ended',
  subscr_modify: 'modified',
  // Recurring-payments profile messages some accounts send for Standard I- subscriptions (paypal-api.md §8).
  recurring_payment_profile_cancel: 'cancelled',
  recurring_payment_suspended: 'suspended',
  recurring_payment_suspended_due_to_max_failed_payment: 'suspended',
  recurring_payment_skipped: 'payment_failed',
  recurring_payment_failed: 'payment_failed',
  recurring_payment_expired: 'ended',
};

/** The subscription a message is about: `subscr_id`, or `recurring_payment_id` on profile messages (§8). */
export const subscriptionIdOf = (ipn: IpnMessage): string | undefined =>
  ipn.get('subscr_id') ?? ipn.get('recurring_payment_id');

/**
 * Prefix of the `brokerData` key of the mark a verified `subscr_signup` (or `subscr_modify`) with
 * terms other than ours leaves on the payment, one per subscription: `paypalTermsMismatch:<subscr_id>`.
 * `subscr_payment` carries no period, so this mark is what keeps later renewals of that subscription
 * from being paid. Per subscription id: a stranger's subscription naming the payment with a €0 trial
 * must not stop the renewals of the customer's own (issue 14 item 1).
 */
export const TERMS_MISMATCH_KEY = 'paypalTermsMismatch';

/** The `brokerData` key of one subscription's terms mark. */
export const termsMismatchKey = (subscriptionId: string) => `${TERMS_MISMATCH_KEY}:${subscriptionId}`;

export interface TermsMismatch {
  subscriptionId: string;
  /** The event id of the signup or modification that showed them (`<subscr_id>:<txn_type>:<ipn_track_id or subscr_date>`). */
  eventId: string;
  reason: string;
  /** The terms PayPal reported, as received. */
  terms: Record<string, string>;
}

/** The mark a tampered signup or modification of this subscription left on the payment, if any. */
export function termsMismatchOf(payment: Payment, subscriptionId: string): TermsMismatch | null {
  const mark = payment.brokerData[termsMismatchKey(subscriptionId)];
  if (mark && typeof mark === 'object') return mark as TermsMismatch;
  // Marks written before they were per subscription: one key, naming its subscription inside.
  const legacy = payment.brokerData[TERMS_MISMATCH_KEY];
  return legacy && typeof legacy === 'object' && (legacy as TermsMismatch).subscriptionId === subscriptionId
    ? (legacy as TermsMismatch)
    : null;
}

/** The subscription a verified signup bound the payment to (core's binding), null before one. */
export function boundSubscription(payment: Payment): string | null {
  const subscription = payment.subscription;
  return subscription && !subscription.awaitingSignup ? subscription.id : null;
}

const TERM_FIELDS = [
  'mc_currency',
  'mc_amount1',
  'period1',
  'mc_amount2',
  'period2',
  'mc_amount3',
  'period3',
];

/**
 * What differs between the terms PayPal reports and the plan we sold (§11.8): currency, regular amount
 * and period, and any trial (we never offer one). Null when they are ours. A signup must report all
 * of them; of a modification only those it carries are compared.
 */
function termsProblem(
  ipn: IpnMessage,
  payment: Payment,
  complete: boolean,
): Pick<Anomaly, 'code' | 'message'> | null {
  const recurrence = payment.recurrence;
  if (!recurrence) return null;
  const reported = (field: string) => complete || ipn.get(field) !== undefined;
  const currency = ipn.get('mc_currency');
  if (reported('mc_currency') && currency !== payment.currency) {
    return {
      code: 'CURRENCY_MISMATCH',
      message: `mc_currency ${currency ?? '(none)'}, payment is in ${payment.currency}`,
    };
  }
  const amount = parsePaypalAmount(ipn.get('mc_amount3'), payment.currency);
  if (reported('mc_amount3') && amount !== payment.amount) {
    return {
      code: 'AMOUNT_MISMATCH',
      message: `mc_amount3 ${ipn.get('mc_amount3') ?? '(none)'} ${payment.currency}, expected ${payment.amount} minor units`,
    };
  }
  const { p3, t3 } = subscriptionPeriod(recurrence);
  const period = ipn.get('period3');
  if (reported('period3') && period !== `${p3} ${t3}`)
    return { code: 'AMOUNT_MISMATCH', message: `plan ${period ?? '(none)'} is not ${p3} ${t3}` };
  for (const field of ['mc_amount1', 'period1', 'mc_amount2', 'period2']) {
    // Absent or empty: no trial.
    if (ipn.get(field))
      return { code: 'AMOUNT_MISMATCH', message: `trial ${field} ${ipn.get(field)} was never offered` };
  }
  return null;
}

/**
 * Events that would announce an active subscription: on a payment whose terms were not ours they are
 * refused too (a cancellation or end of term still applies, it only says PayPal stopped billing).
 */
const ACTIVATING_EVENTS: ReadonlySet<SubscriptionEvent> = new Set(['signup', 'modified', 'payment_failed']);

/** The message's identity: subscr_* carry no txn_id, so (subscr_id, txn_type, ipn_track_id | subscr_date) (§11.7). */
function subscriptionEventId(ipn: IpnMessage, subscriptionId: string, txnType: string): string {
  const discriminator = ipn.get('ipn_track_id') ?? ipn.get('subscr_date') ?? ipn.get('retry_at') ?? '';
  return `${subscriptionId}:${txnType}:${discriminator}`;
}

/**
 * A verified signup (or modification) whose terms are not ours, e.g. a buyer edited the plain form:
 * nothing about the subscription or money changes, but the payment keeps a `brokerData` mark so that
 * every later `subscr_payment` of it is refused too; PayPal gets its 200, re-sending cannot make it right.
 */
function tamperedTerms(
  ipn: IpnMessage,
  payment: Payment,
  subscriptionId: string,
  eventId: string,
  problem: Pick<Anomaly, 'code' | 'message'>,
): NotificationOutcome {
  const terms: Record<string, string> = {};
  for (const field of TERM_FIELDS) {
    const value = ipn.get(field);
    if (value !== undefined) terms[field] = value;
  }
  const mark: TermsMismatch = { subscriptionId, eventId, reason: problem.message, terms };
  return {
    verdict: 'verified',
    updates: [
      {
        paymentId: payment.id,
        facts: [
          {
            type: 'broker_data',
            eventId: `${eventId}:terms`,
            data: { [termsMismatchKey(subscriptionId)]: mark },
          },
        ],
      },
    ],
    anomalies: [
      {
        ...problem,
        message: `${problem.message}: subscription ${subscriptionId} is not ours, its payments will not be credited`,
        paymentId: payment.id,
        eventId,
      },
    ],
    ack: IPN_ACK,
  };
}

export async function subscriptionOutcome(
  ipn: IpnMessage,
  event: SubscriptionEvent,
  ctx: NotificationContext,
  options: InterpretOptions,
): Promise<NotificationOutcome> {
  const txnType = ipn.get('txn_type') as string;
  const subscriptionId = subscriptionIdOf(ipn);
  if (!subscriptionId)
    return rejected('MALFORMED_NOTIFICATION', `${txnType} without subscr_id or recurring_payment_id`);
  const payment = await paymentByReference(ipn, ctx, options.backendId);
  if (typeof payment === 'string') return rejected('UNKNOWN_PAYMENT', payment);
  if (!payment.recurrence)
    return rejected('UNKNOWN_PAYMENT', `${payment.id} is not a subscription`, payment.id);
  // Receiver first: a signup paid to someone else's account must not mark our payment.
  const problem = checkMessage(ipn, payment, options, null);
  if (problem) return problem;
  // Binding (DESIGN §6): once a signup bound the payment, another subscription naming it — a
  // stranger's own form with our invoice, a €0 trial — is refused before it can mark, end or
  // re-term anything. The core checks it again when it applies (two signups racing each other).
  const bound = boundSubscription(payment);
  if (bound !== null && bound !== subscriptionId) {
    return rejected(
      'OTHER_TRANSACTION',
      `${txnType} of subscription ${subscriptionId} names ${payment.id}, which is bound to subscription ${bound}`,
      payment.id,
    );
  }
  const eventId = subscriptionEventId(ipn, subscriptionId, txnType);
  const mismatch = termsMismatchOf(payment, subscriptionId);
  if (event === 'signup' || event === 'modified') {
    const terms = termsProblem(ipn, payment, event === 'signup');
    // The first mark stays: it is the evidence, and one is enough to stop the renewals.
    if (terms && mismatch) return rejected(terms.code, `${terms.message} (${subscriptionId})`, payment.id);
    if (terms) return tamperedTerms(ipn, payment, subscriptionId, eventId, terms);
  }
  if (mismatch && ACTIVATING_EVENTS.has(event)) {
    return rejected(
      'AMOUNT_MISMATCH',
      `${txnType} of ${subscriptionId} ignored: ${mismatch.eventId} of ${payment.id} had other terms (${mismatch.reason})`,
      payment.id,
    );
  }
  const data: Record<string, unknown> = { txnType };
  for (const field of [
    'subscr_date',
    'subscr_effective',
    'period3',
    'mc_amount3',
    'mc_currency',
    'recurring',
    'recur_times',
    'retry_at',
    'profile_status',
    'next_payment_date',
    'outstanding_balance',
  ]) {
    const value = ipn.get(field);
    if (value !== undefined) data[field] = value;
  }
  return verified([
    { paymentId: payment.id, facts: [{ type: 'subscription', event, subscriptionId, data, eventId }] },
  ]);
}
