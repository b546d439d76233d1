import type { Anomaly, Payment, PaymentFact, TransitionEffect } from '../types';
import { deriveAmounts, deriveStatus, MONEY_STATUSES } from './ledger';

/**
 * What one fact does to a payment: the status machine (`status-machine.ts`) dispatches each fact
 * to the step of its family (`status-step.ts`, `capture-step.ts`, `refund-step.ts`,
 * `subscription-step.ts`). Steps are pure and return the same payment object when nothing changes.
 */
export type Step = {
  payment: Payment;
  effects: TransitionEffect[];
  anomaly?: Omit<Anomaly, 'paymentId'>;
  note?: string;
  /** Not applied because it is about another transaction than the bound one (a note, not an anomaly). */
  otherAttempt?: boolean;
};

/** Nothing changes, and why. */
export function unchanged(payment: Payment, note: string): Step {
  return { payment, effects: [], note };
}

/** Nothing changes: the fact contradicts the payment (an anomaly for the merchant). */
export function refused(
  payment: Payment,
  fact: PaymentFact,
  { code, message, details }: { code: Anomaly['code']; message: string; details?: Record<string, unknown> },
): Step {
  return {
    payment,
    effects: [],
    anomaly: { code, message, eventId: fact.eventId, ...(details ? { details } : {}) },
  };
}

/** Money is counted in minor units: a positive safe integer. */
export function isValidAmount(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount > 0;
}

/** The payment with new ledgers: totals and status derived from them, `payment.accepted` once fully paid. */
export function withMoney(
  payment: Payment,
  ledgers: Partial<Pick<Payment, 'captures' | 'refunds'>>,
  extraEffects: TransitionEffect[] = [],
): Step {
  const captures = ledgers.captures ?? payment.captures;
  const refunds = ledgers.refunds ?? payment.refunds;
  const { amountPaid, amountRefunded } = deriveAmounts({ captures, refunds });
  const base = MONEY_STATUSES.has(payment.status) ? 'new' : payment.status;
  const status = deriveStatus({ amount: payment.amount, captures, refunds }, base);
  const effects = [...extraEffects];
  if (payment.amountPaid < payment.amount && amountPaid >= payment.amount)
    effects.push({ event: 'payment.accepted' });
  // Captured money was authorized money, whatever order the broker's messages came in.
  const amountAuthorized = Math.max(payment.amountAuthorized, amountPaid);
  return {
    payment: { ...payment, captures, refunds, amountPaid, amountRefunded, amountAuthorized, status },
    effects,
  };
}
