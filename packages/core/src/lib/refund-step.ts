import type { LedgerEntry, Payment, PaymentFact } from '../types';
import { rawRefunded, upsertLedger } from './ledger';
import { isValidAmount, refused, type Step, unchanged, withMoney } from './step';

export type RefundFact = Extract<
  PaymentFact,
  { type: 'refund_pending' | 'refunded' | 'refund_failed' | 'reversal_cancelled' }
>;

type NewEntry = Omit<LedgerEntry, 'createdAt' | 'updatedAt'>;

/** The refund-ledger entry each refund fact writes (keyed by its id and kind). */
const REFUND_ENTRY: { [T in RefundFact['type']]: (fact: Extract<RefundFact, { type: T }>) => NewEntry } = {
  refund_pending: (fact) => ({ id: fact.refundId, kind: 'refund', amount: fact.amount, status: 'pending' }),
  refunded: (fact) => ({
    id: fact.refundId,
    kind: fact.reversal ? 'reversal' : 'refund',
    amount: fact.amount,
    status: 'succeeded',
  }),
  refund_failed: (fact) => ({
    id: fact.refundId,
    kind: 'refund',
    amount: 0,
    status: 'failed',
    reason: fact.reason,
  }),
  reversal_cancelled: (fact) => ({
    id: fact.cancellationId,
    kind: 'reversal_cancel',
    amount: fact.amount,
    status: 'succeeded',
  }),
};

/** The event announcing a refund (or reversal) entry in the status it reached. */
const REFUND_EVENT: Record<LedgerEntry['status'], string> = {
  pending: 'refund.pending',
  succeeded: 'refund.succeeded',
  failed: 'refund.failed',
};

/**
 * refund_pending, refunded, refund_failed, reversal_cancelled: one refund-ledger entry, totals
 * derived. Refunds beyond what was paid are kept (a refund may arrive before the capture it
 * refunds) but flagged, and the totals stay clamped.
 */
export function refundStep(payment: Payment, fact: RefundFact, now: string): Step {
  if (fact.type !== 'refund_failed') {
    if (fact.currency !== payment.currency) {
      return refused(payment, fact, {
        code: 'CURRENCY_MISMATCH',
        message: `${fact.type} in ${fact.currency}, payment is in ${payment.currency}`,
      });
    }
    if (!isValidAmount(fact.amount)) {
      return refused(payment, fact, { code: 'IMPOSSIBLE_FACT', message: `${fact.type} of ${fact.amount}` });
    }
  }
  const entry = (REFUND_ENTRY[fact.type] as (fact: RefundFact) => NewEntry)(fact);
  const ledger = upsertLedger(payment.refunds, entry, now);
  if (!ledger.changed) return unchanged(payment, `${fact.type} already recorded`);
  const announced = entry.kind === 'refund' || entry.kind === 'reversal';
  const effects = announced ? [{ event: REFUND_EVENT[ledger.entry.status], refundId: ledger.entry.id }] : [];
  const result = withMoney(payment, { refunds: ledger.entries }, effects);
  const raw = rawRefunded(ledger.entries);
  if (raw > result.payment.amountPaid) {
    result.anomaly = {
      code: 'REFUND_EXCEEDS_PAID',
      message: `refunds total ${raw}, paid is ${result.payment.amountPaid}`,
      eventId: fact.eventId,
    };
  }
  return result;
}
