import type { Payment, PaymentFact } from '@paybridge/core';

/**
 * P24's statuses as core facts, with event ids that a notification and a pull of the same event
 * share (so whichever comes second is a no-op). Every fact names P24's `orderId` as its transaction:
 * the first one that proves money binds the payment (DESIGN §6).
 */

/** What a verified transaction tells us (notification or `transaction/by/sessionId`). */
export interface VerifiedTransaction {
  orderId: number;
  amount: number;
  currency: string;
  methodId?: number | undefined;
  statement?: string | undefined;
}

/** A transaction P24 confirmed to our verify call (or reports as status 2): the money is booked. */
export function paidFacts(tx: VerifiedTransaction): PaymentFact[] {
  const orderId = String(tx.orderId);
  const data: Record<string, unknown> = { p24OrderId: orderId };
  if (tx.methodId !== undefined) data.p24MethodId = tx.methodId;
  if (tx.statement) data.p24Statement = tx.statement;
  return [
    {
      type: 'captured',
      eventId: `${orderId}:verified`,
      transactionId: orderId,
      captureId: orderId,
      amount: tx.amount,
      currency: tx.currency,
    },
    { type: 'broker_data', eventId: `${orderId}:data`, transactionId: orderId, data },
  ];
}

/** brokerData key remembering which of our refunds a P24 `refundsUuid` is (a flat key: merges cannot lose it). */
export const refundKey = (refundsUuid: string) => `p24Refund:${refundsUuid}`;

/** Our refund id for a P24 refund: the one `refund()` remembered, else P24's own id (a panel refund). */
export function ourRefundId(payment: Payment, refundsUuid: string): string {
  const remembered = payment.brokerData[refundKey(refundsUuid)];
  return typeof remembered === 'string' ? remembered : refundsUuid;
}

export type RefundOutcome = 'pending' | 'completed' | 'rejected';

export function refundFact(
  payment: Payment,
  refund: { orderId: number; refundsUuid: string; amount: number; currency: string; outcome: RefundOutcome },
): PaymentFact {
  const orderId = String(refund.orderId);
  const refundId = ourRefundId(payment, refund.refundsUuid);
  const base = {
    eventId: `refund:${orderId}:${refund.refundsUuid}:${refund.outcome}`,
    transactionId: orderId,
  };
  if (refund.outcome === 'rejected') {
    return { ...base, type: 'refund_failed', refundId, reason: 'Przelewy24 rejected the refund' };
  }
  const money = { refundId, amount: refund.amount, currency: refund.currency };
  return refund.outcome === 'completed'
    ? { ...base, type: 'refunded', ...money }
    : { ...base, type: 'refund_pending', ...money };
}

/** Refund notification `status` (reference §8.2): 0 completed, 1 rejected. */
export const notifiedRefundOutcome = (status: number): RefundOutcome | null =>
  status === 0 ? 'completed' : status === 1 ? 'rejected' : null;

/** `GET /refund/by/orderId` item status (reference §8.3): 1 completed, 2 pending, 3 awaiting P24, 4 rejected. */
export const listedRefundOutcome = (status: number): RefundOutcome | null =>
  status === 1 ? 'completed' : status === 2 || status === 3 ? 'pending' : status === 4 ? 'rejected' : null;
