import type { PaymentFact } from '@paybridge/core';
import type { PayuOrder } from './payu-schemas';

/**
 * A PayU order status as core facts (§4.5). Event ids are `<orderId>:<status>`, so a duplicate
 * notification, the same status pulled by `fetchStatus`, and the answer of our own capture/cancel
 * all collapse into one applied fact. A stale CANCELED after COMPLETED still becomes `failed`:
 * the core refuses to take a paid payment back, so it is not special-cased here.
 * Returns null for a status PayU does not document (logged, answered 200 — §4.5).
 */
export function orderFacts(
  order: Pick<PayuOrder, 'orderId' | 'status' | 'totalAmount' | 'currencyCode'>,
): PaymentFact[] | null {
  const eventId = `${order.orderId}:${order.status}`;
  switch (order.status) {
    // PayU never notifies NEW; a pull can see it: the buyer has not finished on the hosted page.
    case 'NEW':
      return [];
    case 'PENDING':
      return [{ type: 'pending', eventId }];
    case 'WAITING_FOR_CONFIRMATION':
      return [{ type: 'authorized', eventId, amount: order.totalAmount, currency: order.currencyCode }];
    case 'COMPLETED':
      return [
        {
          type: 'captured',
          eventId,
          captureId: order.orderId,
          amount: order.totalAmount,
          currency: order.currencyCode,
        },
      ];
    case 'CANCELED':
      return [{ type: 'failed', eventId, reason: 'PayU order CANCELED' }];
    // Legacy value of the PHP SDK and getpaid 1.x, not in the v2.1 enum; same meaning as CANCELED.
    case 'REJECTED':
      return [{ type: 'failed', eventId, reason: 'PayU order REJECTED' }];
    default:
      return null;
  }
}

export interface ResolvedRefund {
  /** PayU's refundId. */
  payuRefundId: string;
  /** Our refund id (the `extRefundId` we sent), or PayU's id for a refund made in the PayU panel. */
  refundId: string;
  status: string;
  amount: number | undefined;
  currency: string;
  reason?: string;
}

/** PENDING → FINALIZED | CANCELED (§4.2). Event ids are `<payuRefundId>:<status>`. */
export function refundFacts(refund: ResolvedRefund): PaymentFact[] | null {
  const eventId = `${refund.payuRefundId}:${refund.status}`;
  switch (refund.status) {
    case 'PENDING':
      if (refund.amount === undefined) return null;
      return [
        {
          type: 'refund_pending',
          eventId,
          refundId: refund.refundId,
          amount: refund.amount,
          currency: refund.currency,
        },
      ];
    case 'FINALIZED':
      if (refund.amount === undefined) return null;
      return [
        {
          type: 'refunded',
          eventId,
          refundId: refund.refundId,
          amount: refund.amount,
          currency: refund.currency,
        },
      ];
    case 'CANCELED':
      return [
        {
          type: 'refund_failed',
          eventId,
          refundId: refund.refundId,
          reason: refund.reason ? `PayU refund CANCELED (${refund.reason})` : 'PayU refund CANCELED',
        },
      ];
    default:
      return null;
  }
}

/** brokerData key remembering which of our refunds a PayU refundId is (a flat key: merges cannot lose it). */
export const refundKey = (payuRefundId: string) => `payuRefund:${payuRefundId}`;
