import type { Payment, PaymentFact } from '../types';
import { deriveAmounts, upsertLedger } from './ledger';
import { isValidAmount, refused, type Step, unchanged, withMoney } from './step';

export type CaptureFact = Extract<PaymentFact, { type: 'captured' }>;

/** captured: one capture ledger entry (grown per capture id); more than the payment's amount is refused. */
export function captureStep(payment: Payment, fact: CaptureFact, now: string): Step {
  if (fact.currency !== payment.currency) {
    return refused(payment, fact, {
      code: 'CURRENCY_MISMATCH',
      message: `captured in ${fact.currency}, payment is in ${payment.currency}`,
      details: { expected: payment.currency, received: fact.currency },
    });
  }
  if (!isValidAmount(fact.amount))
    return refused(payment, fact, { code: 'IMPOSSIBLE_FACT', message: `capture of ${fact.amount}` });
  if (!fact.partial && fact.amount !== payment.amount) {
    return refused(payment, fact, {
      code: 'AMOUNT_MISMATCH',
      message: `captured ${fact.amount}, payment is for ${payment.amount}`,
      details: { expected: payment.amount, received: fact.amount },
    });
  }
  const ledger = upsertLedger(
    payment.captures,
    { id: fact.captureId, kind: 'capture', amount: fact.amount, status: 'succeeded' },
    now,
  );
  if (!ledger.changed) return unchanged(payment, 'capture already recorded');
  const { amountPaid } = deriveAmounts({ captures: ledger.entries, refunds: payment.refunds });
  if (amountPaid > payment.amount) {
    return refused(payment, fact, {
      code: 'OVERPAYMENT',
      message: `captures would total ${amountPaid}, payment is for ${payment.amount}`,
      details: { expected: payment.amount, received: amountPaid },
    });
  }
  return withMoney(payment, { captures: ledger.entries });
}
