import type { Anomaly, Payment, PaymentFact } from '../types';

/**
 * Binding (DESIGN §6). A verified message is genuine, but the reference in it that names our payment
 * (PayPal `invoice`, PayU `extOrderId`, CM-CIC `reference`) can be chosen by anyone who builds their
 * own form or order at the broker. So a payment is bound to the broker transaction that first proved
 * money for it — its `externalId` (a capture or an authorization of that transaction, or the order
 * the merchant's own request created) — and to the subscription whose signup first reached it.
 * A fact about another transaction naming the same payment is another attempt: it may add money
 * (recorded; an overpayment is an anomaly), but it never fails, expires, re-statuses, refunds or
 * overwrites the bound one.
 */

/** Why a fact is not applied: an anomaly (money or a subscription that is not ours), or a note (someone's attempt failed). */
export type BindingRefusal =
  | { anomaly: Pick<Anomaly, 'code' | 'message'>; note?: never }
  | { note: string; anomaly?: never };

const REFUND_FACTS: ReadonlySet<PaymentFact['type']> = new Set([
  'refund_pending',
  'refunded',
  'refund_failed',
  'reversal_cancelled',
]);

/**
 * Facts that prove money for their transaction, and so bind an unbound payment to it. A refund or
 * reversal proves the money it gives back was paid: arriving before its capture (brokers do not keep
 * the order), it binds the payment to the transaction it refunds, as that capture would have.
 */
const PROVES_MONEY: ReadonlySet<PaymentFact['type']> = new Set(['captured', 'authorized', ...REFUND_FACTS]);

/** Prefix of the notes the binding rule leaves, so logs and the message log can tell them apart. */
export const OTHER_ATTEMPT_NOTE = 'another attempt';

/**
 * The binding check of one fact against the payment as it is now (inside the store's
 * compare-and-set, so two first messages racing each other cannot both bind). Null: apply it.
 */
export function bindingRefusal(payment: Payment, fact: PaymentFact): BindingRefusal | null {
  if (fact.type === 'subscription') return subscriptionRefusal(payment, fact);
  const transaction = fact.transactionId;
  if (transaction === undefined) return null;
  const bound = payment.externalId;
  if (bound === transaction) return null;
  const other = bound === null ? 'no transaction proved money yet' : `the payment is bound to ${bound}`;
  switch (fact.type) {
    // Money in is money in, whoever sent it: the ledger records it, an overpayment is an anomaly.
    case 'captured':
      return null;
    case 'authorized':
      if (bound === null) return null;
      // Only the bound transaction's authorization is the one our capture or void will act on.
      return {
        anomaly: {
          code: 'OTHER_TRANSACTION',
          message: `authorization by transaction ${transaction} not applied: ${other}`,
        },
      };
    case 'pending':
      // "In progress at the broker" ends nothing while nothing is bound; on a bound payment it would re-status it.
      if (bound === null) return null;
      return { note: `${OTHER_ATTEMPT_NOTE}: pending of transaction ${transaction} ignored, ${other}` };
    case 'failed':
    case 'expired':
      return {
        note: `${OTHER_ATTEMPT_NOTE}: ${fact.type} of transaction ${transaction} does not end the payment (${other}); it stays payable`,
      };
    case 'broker_data':
      if (bound === null) return null;
      return { note: `${OTHER_ATTEMPT_NOTE}: data of transaction ${transaction} not kept, ${other}` };
    default:
      if (REFUND_FACTS.has(fact.type)) {
        // A refund moves money of the transaction it refunds: only money this payment recorded, or
        // (nothing bound yet) the money of the transaction it then binds.
        if (bound === null || payment.captures.some((capture) => capture.id === transaction)) return null;
        return {
          anomaly: {
            code: 'OTHER_TRANSACTION',
            message: `${fact.type} of transaction ${transaction} not applied: this payment never recorded its money (${other})`,
          },
        };
      }
      return null;
  }
}

/** The subscription id a verified signup bound the payment to; null before one arrived. */
export function boundSubscriptionId(payment: Pick<Payment, 'subscription'>): string | null {
  const subscription = payment.subscription;
  return subscription && !subscription.awaitingSignup ? subscription.id : null;
}

/**
 * The first verified signup binds the subscription id; news of any other subscription naming the
 * payment is refused and changes nothing, so a stranger's subscription can neither end, re-term nor
 * take over the one the customer signed up for. News before any signup is held (unannounced) for
 * its subscription only; a signup of another subscription replaces it (`subscription-step.ts`).
 */
function subscriptionRefusal(
  payment: Payment,
  fact: Extract<PaymentFact, { type: 'subscription' }>,
): BindingRefusal | null {
  const current = payment.subscription;
  if (!current || current.id === fact.subscriptionId) return null;
  if (current.awaitingSignup) {
    if (fact.event === 'signup') return null;
    return {
      anomaly: {
        code: 'OTHER_TRANSACTION',
        message: `${fact.event} of subscription ${fact.subscriptionId} not applied: news of subscription ${current.id} already awaits its signup`,
      },
    };
  }
  return {
    anomaly: {
      code: 'OTHER_TRANSACTION',
      message: `${fact.event} of subscription ${fact.subscriptionId} not applied: the payment is bound to subscription ${current.id}`,
    },
  };
}

/** The payment after an applied fact: bound to the fact's transaction when that proved money first. */
export function bindOnMoney(payment: Payment, fact: PaymentFact): Payment {
  if (payment.externalId !== null || fact.transactionId === undefined || !PROVES_MONEY.has(fact.type)) {
    return payment;
  }
  return { ...payment, externalId: fact.transactionId };
}
