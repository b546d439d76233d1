import { type BackendContext, PaybridgeError, type Payment } from '@paybridge/core';
import { type PayuClient, payuError } from './api-client';
import { type ResolvedRefund, refundKey } from './facts';
import { type PayuRefund, refundListSchema } from './payu-schemas';

export async function listRefunds(
  client: PayuClient,
  ctx: BackendContext,
  orderId: string,
  paymentId: string,
): Promise<PayuRefund[]> {
  const response = await client.request(ctx, {
    method: 'GET',
    path: `/orders/${encodeURIComponent(orderId)}/refunds`,
    kind: 'list-refunds',
    paymentId,
  });
  if (response.status !== 200) throw payuError('list the refunds', response);
  const parsed = refundListSchema().safeParse(response.json);
  if (!parsed.success) {
    throw new PaybridgeError('BROKER_ERROR', 'PayU answered the refund list in an unexpected shape', {
      details: { correlationId: response.correlationId },
    });
  }
  return parsed.data;
}

/** Which of our refunds a PayU refund is: the `extRefundId` we sent, else what `refund()` remembered. */
export function knownRefundId(payment: Payment, refund: PayuRefund): string | undefined {
  if (refund.extRefundId) return refund.extRefundId;
  const remembered = payment.brokerData[refundKey(String(refund.refundId))];
  return typeof remembered === 'string' ? remembered : undefined;
}

/**
 * Complete a refund PayU told us about. The documented notification carries no `extRefundId`, and a
 * refund made by hand in the PayU panel carried no amount either (openpayu_php #112), so whatever
 * is missing comes from `GET /orders/{id}/refunds`. A refund we did not start (panel) is keyed by
 * PayU's own refundId.
 */
export async function resolveRefund(
  client: PayuClient,
  ctx: BackendContext,
  payment: Payment,
  orderId: string,
  refund: PayuRefund,
): Promise<ResolvedRefund> {
  const payuRefundId = String(refund.refundId);
  let refundId = knownRefundId(payment, refund);
  let listed: PayuRefund | undefined;
  const needsAmount = refund.amount === undefined && refund.status !== 'CANCELED';
  if (refundId === undefined || needsAmount) {
    const all = await listRefunds(client, ctx, orderId, payment.id);
    listed = all.find((candidate) => String(candidate.refundId) === payuRefundId);
    if (listed && refundId === undefined) refundId = knownRefundId(payment, listed);
  }
  return {
    payuRefundId,
    refundId: refundId ?? payuRefundId,
    // The notification's own status is the event being reported; the list may already be further on.
    status: refund.status,
    amount: refund.amount ?? listed?.amount,
    currency: refund.currencyCode ?? listed?.currencyCode ?? payment.currency,
    reason: refund.reasonDescription ?? refund.reason ?? listed?.reason,
  };
}
