import {
  type BackendContext,
  type OperationResult,
  PaybridgeError,
  type Payment,
  type PaymentFact,
  type RefundRequest,
} from '@paybridge/core';
import { type PayuResponse, payuError, payuStatus } from './api-client';
import { orderFacts, refundFacts, refundKey } from './facts';
import { type OrderDeps, orderPath, requireOrderId, retrieveOrder } from './orders';
import { createRefundResponseSchema } from './payu-schemas';

/**
 * PayU refused a capture or cancel as an impossible transition (§3.2, §5.2). When our earlier call
 * timed out after PayU carried it out, the order is already where we wanted it: a retry then
 * reports that state instead of an error. Any other refusal, or another status, is the error.
 */
async function alreadyDone(
  response: PayuResponse,
  wanted: 'COMPLETED' | 'CANCELED',
  orderId: string,
  payment: Payment,
  ctx: BackendContext,
  deps: OrderDeps,
): Promise<PaymentFact[] | null> {
  const refused = response.status >= 400 && response.status < 500 && response.status !== 401;
  if (!refused || payuStatus(response.json).statusCode !== 'ERROR_VALUE_INVALID') return null;
  const order = await retrieveOrder(orderId, payment, ctx, deps).catch(() => null);
  if (order?.status !== wanted) return null;
  return orderFacts(order);
}

/** `POST /orders/{id}/captures` with no body captures the whole order (§5.2). */
export async function captureOrder(
  payment: Payment,
  amount: number,
  ctx: BackendContext,
  deps: OrderDeps,
): Promise<OperationResult> {
  const orderId = requireOrderId(payment, 'capture');
  if (amount !== payment.amount) {
    throw new PaybridgeError('CAPABILITY_NOT_SUPPORTED', 'PayU captures the whole order only', {
      details: { amount, orderAmount: payment.amount },
    });
  }
  const response = await deps.client.request(ctx, {
    method: 'POST',
    path: `${orderPath(orderId)}/captures`,
    kind: 'capture',
    paymentId: payment.id,
  });
  if (response.status !== 200 || payuStatus(response.json).statusCode !== 'SUCCESS') {
    const facts = await alreadyDone(response, 'COMPLETED', orderId, payment, ctx, deps);
    if (facts) return { facts };
    throw payuError('capture the order', response);
  }
  // Same event id as the COMPLETED notification that follows: whichever arrives second is a no-op.
  return {
    facts:
      orderFacts({ orderId, status: 'COMPLETED', totalAmount: amount, currencyCode: payment.currency }) ?? [],
  };
}

/** `DELETE /orders/{id}` releases an authorization (§5.3); a CANCELED notification follows. */
export async function cancelOrder(
  payment: Payment,
  ctx: BackendContext,
  deps: OrderDeps,
): Promise<OperationResult> {
  const orderId = requireOrderId(payment, 'cancel');
  const response = await deps.client.request(ctx, {
    method: 'DELETE',
    path: orderPath(orderId),
    kind: 'cancel',
    paymentId: payment.id,
  });
  if (response.status !== 200 || payuStatus(response.json).statusCode !== 'SUCCESS') {
    const facts = await alreadyDone(response, 'CANCELED', orderId, payment, ctx, deps);
    if (facts) return { facts };
    throw payuError('cancel the order', response);
  }
  return { facts: [{ type: 'failed', eventId: `${orderId}:CANCELED`, reason: 'Cancelled by the merchant' }] };
}

/**
 * `POST /orders/{id}/refunds` with our refund id as `extRefundId`: PayU answers an identical
 * request with the refund it already made (§5.4), so a retried call cannot refund twice. The
 * amount is always sent, full refunds included, so the request says exactly what we record.
 */
export async function refundOrder(
  payment: Payment,
  request: RefundRequest,
  ctx: BackendContext,
  deps: OrderDeps,
): Promise<OperationResult> {
  const orderId = requireOrderId(payment, 'refund');
  const response = await deps.client.request(ctx, {
    method: 'POST',
    path: `${orderPath(orderId)}/refunds`,
    body: {
      refund: {
        description: (request.reason ?? `Refund ${request.refundId}`).slice(0, 255),
        amount: String(request.amount),
        extRefundId: request.refundId,
        currencyCode: payment.currency,
      },
    },
    kind: 'refund',
    paymentId: payment.id,
  });
  const parsed = createRefundResponseSchema().safeParse(response.json);
  if (response.status !== 200 || !parsed.success || payuStatus(response.json).statusCode !== 'SUCCESS') {
    throw payuError('refund the order', response);
  }
  const payuRefundId = String(parsed.data.refund.refundId);
  const facts =
    refundFacts({
      payuRefundId,
      refundId: request.refundId,
      status: parsed.data.refund.status,
      amount: parsed.data.refund.amount ?? request.amount,
      currency: parsed.data.refund.currencyCode ?? payment.currency,
    }) ?? [];
  return { facts, brokerData: { [refundKey(payuRefundId)]: request.refundId } };
}
