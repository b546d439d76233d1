import {
  type BackendContext,
  type OperationResult,
  PaybridgeError,
  type Payment,
  type PaymentFact,
  type RefundRequest,
} from '@paybridge/core';
import { toRazorpayAmount } from './amount';
import { callRazorpay, isRefusal } from './api-client';
import {
  DATA,
  NOTE_PAYMENT_ID,
  NOTE_REFUND_ID,
  paymentLinkSchema,
  paymentSchema,
  refundSchema,
} from './entities';
import { linkFacts, paymentFacts, refundFacts, withoutKnownData } from './facts';
import type { RazorpaySettings } from './settings';

const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** The Payment Link this payment is bound to (made by `prepare`). */
export const boundLink = (payment: Payment) => str(payment.brokerData[DATA.link]) ?? payment.externalId;

function requireLink(payment: Payment): string {
  const link = boundLink(payment);
  if (!link) throw new PaybridgeError('INVALID_STATE', `payment ${payment.id} has no Razorpay Payment Link`);
  return link;
}

/**
 * Pull (§6.4): the bound link (`GET /v1/payment_links/{id}`: status and captured payments), the
 * authorized payments of its order while it is not paid (`GET /v1/orders/{id}/payments`), and the
 * refunds of each captured payment. A payment made on another link is never looked at.
 */
export async function pullStatus(
  payment: Payment,
  ctx: BackendContext,
  settings: RazorpaySettings,
): Promise<PaymentFact[]> {
  const linkId = boundLink(payment);
  if (!linkId) return [];
  const link = paymentLinkSchema().parse(
    await callRazorpay(ctx, settings, 'fetch the Payment Link', {
      method: 'GET',
      path: `/v1/payment_links/${encodeURIComponent(linkId)}`,
      kind: 'fetch-payment-link',
      paymentId: payment.id,
    }),
  );
  if (link.id !== linkId)
    throw new PaybridgeError('BROKER_ERROR', `Razorpay answered link ${link.id} for ${linkId}`);
  const facts = linkFacts(link);
  const orderId = link.order_id ?? str(payment.brokerData[DATA.order]);
  if (orderId && link.status === 'created') {
    const raw = (await callRazorpay(ctx, settings, "fetch the order's payments", {
      method: 'GET',
      path: `/v1/orders/${encodeURIComponent(orderId)}/payments`,
      kind: 'fetch-order-payments',
      paymentId: payment.id,
    })) as { items?: unknown[] };
    for (const item of raw.items ?? []) {
      const parsed = paymentSchema().safeParse(item);
      if (parsed.success && parsed.data.order_id === orderId)
        facts.push(...paymentFacts(parsed.data, link.id));
    }
  }
  // Refunds of the bound link's own payments only: money another link added is not ours to ask about.
  const captured = new Set(facts.flatMap((f) => (f.type === 'captured' ? [f.captureId] : [])));
  for (const paymentId of captured) {
    const raw = (await callRazorpay(ctx, settings, 'list the refunds', {
      method: 'GET',
      path: `/v1/payments/${encodeURIComponent(paymentId)}/refunds`,
      kind: 'list-refunds',
      paymentId: payment.id,
    })) as { items?: unknown[] };
    for (const item of raw.items ?? []) {
      const refund = refundSchema().safeParse(item);
      if (refund.success && refund.data.payment_id === paymentId)
        facts.push(...refundFacts(refund.data, payment));
    }
  }
  return withoutKnownData(payment, facts);
}

/**
 * `POST /v1/payments/{id}/capture` (§6.2) of the bound link's authorized payment. Razorpay captures the
 * whole order amount only, so a partial capture is refused before asking.
 */
export async function capturePayment(
  payment: Payment,
  amount: number,
  ctx: BackendContext,
  settings: RazorpaySettings,
): Promise<OperationResult> {
  const linkId = requireLink(payment);
  const paymentId = str(payment.brokerData[DATA.payment]);
  if (!paymentId)
    throw new PaybridgeError('INVALID_STATE', `payment ${payment.id} has no authorized Razorpay payment`);
  if (amount !== payment.amount) {
    throw new PaybridgeError('INVALID_AMOUNT', 'Razorpay captures the whole amount of a payment only');
  }
  const raw = await callRazorpay(ctx, settings, 'capture the payment', {
    method: 'POST',
    path: `/v1/payments/${encodeURIComponent(paymentId)}/capture`,
    body: { amount: toRazorpayAmount(amount, payment.currency), currency: payment.currency },
    kind: 'capture',
    paymentId: payment.id,
  });
  return { facts: paymentFacts(paymentSchema().parse(raw), linkId) };
}

/**
 * `POST /v1/payment_links/{id}/cancel` (§3.2): the link can no longer be paid. Razorpay has no void of
 * an authorized payment (§6.2); a link paid meanwhile is pulled and reported as it is: money wins.
 */
export async function cancelLink(
  payment: Payment,
  ctx: BackendContext,
  settings: RazorpaySettings,
): Promise<OperationResult> {
  const linkId = requireLink(payment);
  try {
    const raw = await callRazorpay(ctx, settings, 'cancel the Payment Link', {
      method: 'POST',
      path: `/v1/payment_links/${encodeURIComponent(linkId)}/cancel`,
      kind: 'cancel-payment-link',
      paymentId: payment.id,
    });
    return { facts: linkFacts(paymentLinkSchema().parse(raw)) };
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const facts = await pullStatus(payment, ctx, settings);
    if (facts.some((f) => f.type === 'captured' || f.type === 'authorized' || f.type === 'expired'))
      return { facts };
    throw error;
  }
}

/** Razorpay's idempotency key: 10+ characters of letters, digits, `-` and `_` (§8.1). */
const idempotencyKey = (refundId: string) => refundId.replace(/[^A-Za-z0-9_-]/g, '-').padEnd(10, '_');

/** `POST /v1/payments/{id}/refund` (§8.1) on the captured payment, partial refunds allowed. */
export async function refundPayment(
  payment: Payment,
  request: RefundRequest,
  ctx: BackendContext,
  settings: RazorpaySettings,
): Promise<OperationResult> {
  // The bound link's payment first; money another link added is refunded only when nothing else is left.
  const captures = payment.captures.filter((c) => c.kind === 'capture' && c.status === 'succeeded');
  const capture = captures.find((c) => c.id === payment.brokerData[DATA.payment]) ?? captures[0];
  if (!capture)
    throw new PaybridgeError('INVALID_STATE', `payment ${payment.id} has no captured Razorpay payment`);
  const raw = await callRazorpay(ctx, settings, 'refund the payment', {
    method: 'POST',
    path: `/v1/payments/${encodeURIComponent(capture.id)}/refund`,
    headers: { 'x-refund-idempotency': idempotencyKey(request.refundId) },
    body: {
      amount: toRazorpayAmount(request.amount, payment.currency),
      speed: settings.refundSpeed,
      receipt: request.refundId.slice(0, 40),
      notes: { [NOTE_PAYMENT_ID]: payment.id, [NOTE_REFUND_ID]: request.refundId },
    },
    kind: 'refund',
    paymentId: payment.id,
  });
  return { facts: refundFacts(refundSchema().parse(raw), payment) };
}
