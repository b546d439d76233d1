import type { LedgerEntry, Payment } from '../types';

type RefundRequest = NonNullable<LedgerEntry['request']>;

/**
 * Core's bookkeeping of the refunds it asks brokers for lives on the refund's ledger entry
 * (`LedgerEntry.request`). The previous version kept it in `brokerData` under this prefix and the
 * refund id; records it stored are read through `currentShape` (`lib/current-shape.ts`), never
 * written that way again.
 */
const LEGACY_PREFIX = 'paybridgeRefund:';
const REQUEST_STATES: ReadonlySet<unknown> = new Set<RefundRequest>(['requested', 'accepted', 'refused']);

const isOurRefund = (entry: LedgerEntry, refundId: string) =>
  entry.id === refundId && entry.kind === 'refund';

/** Where our request for refund `refundId` stands, if this bridge asked for it. */
export function refundRequestOf(payment: Payment, refundId: string): RefundRequest | undefined {
  return payment.refunds.find((entry) => isOurRefund(entry, refundId))?.request;
}

/** The payment with our request for refund `refundId` (its reserved ledger entry) at `request`. */
export function withRefundRequest(payment: Payment, refundId: string, request: RefundRequest): Payment {
  return {
    ...payment,
    refunds: payment.refunds.map((entry) => (isOurRefund(entry, refundId) ? { ...entry, request } : entry)),
  };
}

/**
 * The payment with the refund requests the previous version noted in `brokerData` moved onto their
 * ledger entries (a step of `currentShape`); the same object when there is nothing to move.
 */
export function movedRefundRequests(payment: Payment): Payment {
  if (payment.refunds.length === 0) return payment;
  const legacy = Object.keys(payment.brokerData).filter((key) => key.startsWith(LEGACY_PREFIX));
  if (legacy.length === 0) return payment;
  const brokerData = { ...payment.brokerData };
  let refunds = payment.refunds;
  let moved = false;
  for (const key of legacy) {
    const request = brokerData[key];
    const refundId = key.slice(LEGACY_PREFIX.length);
    // A mark no ledger entry can carry stays where it is: stored data is never dropped.
    if (!REQUEST_STATES.has(request) || !refunds.some((entry) => isOurRefund(entry, refundId))) continue;
    refunds = refunds.map((entry) =>
      isOurRefund(entry, refundId) && entry.request === undefined
        ? { ...entry, request: request as RefundRequest }
        : entry,
    );
    delete brokerData[key];
    moved = true;
  }
  return moved ? { ...payment, brokerData, refunds } : payment;
}
