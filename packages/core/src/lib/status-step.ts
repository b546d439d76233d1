import type { Payment, PaymentFact, PaymentStatus, TransitionEffect } from '../types';
import { MONEY_STATUSES } from './ledger';
import { isValidAmount, refused, type Step, unchanged } from './step';

/** Facts that move a payment while no money is captured. */
export type StatusFact = Extract<PaymentFact, { type: 'pending' | 'authorized' | 'failed' | 'expired' }>;

/** Statuses a payment can have while no money has been captured, and which facts may move it where. */
export const NO_MONEY_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  new: ['pending', 'authorized', 'failed', 'expired'],
  pending: ['authorized', 'failed', 'expired'],
  // An authorization can be voided (failed) but is never expired by our own sweep: the funds are locked at the broker.
  authorized: ['failed'],
  // A refusal is final for non-money facts; only a verified capture (money wins) moves it on.
  failed: [],
  // Expiry is our own guess; whatever the broker says afterwards is the truth.
  expired: ['pending', 'authorized', 'failed'],
  partially_paid: [],
  paid: [],
  partially_refunded: [],
  refunded: [],
};

/** The event each status fact announces when it moves the payment. */
const STATUS_EFFECT: {
  [T in StatusFact['type']]: (fact: Extract<StatusFact, { type: T }>) => TransitionEffect;
} = {
  pending: () => ({ event: 'payment.pending' }),
  authorized: () => ({ event: 'payment.authorized' }),
  failed: (fact) => ({ event: 'payment.declined', reason: fact.reason }),
  expired: () => ({ event: 'payment.expired' }),
};

/** What the payment holds as authorized once a status fact moved it. */
function authorizedAfter(payment: Payment, fact: StatusFact): number {
  if (fact.type === 'authorized') return fact.amount;
  // A voided or refused attempt holds no authorization any more.
  if (fact.type === 'failed') return 0;
  return payment.amountAuthorized;
}

/** Late authorization news still tells how much was authorized (it may arrive after a partial capture). */
function moreAuthorized(payment: Payment, fact: StatusFact): Step | null {
  if (fact.type !== 'authorized' || fact.amount <= payment.amountAuthorized) return null;
  return { payment: { ...payment, amountAuthorized: fact.amount }, effects: [] };
}

/** pending, authorized, failed, expired: moves along `NO_MONEY_TRANSITIONS`; money already captured wins. */
export function statusStep(payment: Payment, fact: StatusFact): Step {
  if (fact.type === 'authorized') {
    if (fact.currency !== payment.currency) {
      return refused(payment, fact, {
        code: 'CURRENCY_MISMATCH',
        message: `authorized in ${fact.currency}, payment is in ${payment.currency}`,
      });
    }
    // Brokers authorize the whole amount; anything else is not the payment we asked for.
    if (!isValidAmount(fact.amount) || fact.amount !== payment.amount) {
      return refused(payment, fact, {
        code: 'AMOUNT_MISMATCH',
        message: `authorized ${fact.amount}, payment is for ${payment.amount}`,
        details: { expected: payment.amount, received: fact.amount },
      });
    }
  }
  if (MONEY_STATUSES.has(payment.status)) {
    return moreAuthorized(payment, fact) ?? unchanged(payment, `stale ${fact.type}: money already captured`);
  }
  const target: PaymentStatus = fact.type;
  if (payment.status === target) {
    return moreAuthorized(payment, fact) ?? unchanged(payment, `already ${target}`);
  }
  if (!NO_MONEY_TRANSITIONS[payment.status].includes(target)) {
    return unchanged(payment, `stale ${fact.type} after ${payment.status}`);
  }
  const effect = (STATUS_EFFECT[fact.type] as (fact: StatusFact) => TransitionEffect)(fact);
  return {
    payment: { ...payment, status: target, amountAuthorized: authorizedAfter(payment, fact) },
    effects: [effect],
  };
}
