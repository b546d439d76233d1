import { json, notFound, razorpayError, readJson } from './http';
import { capture } from './lifecycle';
import { newId, type RazorpayAccount, type RazorpayState, type SimPayment, type SimRefund } from './model';
import { orderView, paymentView, refundView } from './views';
import { sendEvents } from './webhooks';

/** A payment of a link made with this account's key, or 400 "does not exist". */
export function ownedPayment(
  state: RazorpayState,
  account: RazorpayAccount,
  id: string,
): SimPayment | Response {
  const payment = state.payments.get(id);
  const link = payment ? state.links.get(payment.linkId) : undefined;
  return payment && link?.keyId === account.keyId ? payment : notFound('payment');
}

/** `GET /v1/orders/{id}` and `/payments` (§6.1). */
export function orderRoute(
  state: RazorpayState,
  account: RazorpayAccount,
  id: string,
  sub: string | undefined,
): Response {
  const order = state.orders.get(id);
  const link = order ? state.links.get(order.linkId) : undefined;
  if (!order || link?.keyId !== account.keyId) return notFound('order');
  if (!sub) return json(orderView(order));
  const items = [...state.payments.values()].filter((p) => p.orderId === order.id).map(paymentView);
  return json({ entity: 'collection', count: items.length, items });
}

/** `POST /v1/payments/{id}/capture` (§6.2): only from authorized, amount equal to the payment's. */
export async function capturePayment(
  state: RazorpayState,
  payment: SimPayment,
  request: Request,
): Promise<Response> {
  const body = await readJson(request);
  if (body instanceof Response) return body;
  if (payment.status !== 'authorized')
    return razorpayError(400, 'This payment has already been captured', {
      reason: `status ${payment.status}`,
    });
  if (body.amount !== payment.amount)
    return razorpayError(400, 'Capture amount must be equal to the amount authorized', { field: 'amount' });
  if (body.currency !== undefined && body.currency !== payment.currency)
    return razorpayError(400, 'The currency should be same as the payment currency', { field: 'currency' });
  capture(state, payment);
  return json(paymentView(payment));
}

/**
 * `POST /v1/payments/{id}/refund` (§8.1): captured payments only, partial refunds up to what is left,
 * `X-Refund-Idempotency` replaying the first refund for the same body and refusing another body.
 */
export async function refundPayment(
  state: RazorpayState,
  payment: SimPayment,
  request: Request,
): Promise<Response> {
  const raw = await request.clone().text();
  const body = await readJson(request);
  if (body instanceof Response) return body;
  const key = request.headers.get('x-refund-idempotency');
  if (key !== null) {
    if (!/^[A-Za-z0-9_-]{10,}$/.test(key)) return razorpayError(400, 'The idempotency key is invalid.');
    const seen = state.refundKeys.get(key);
    if (seen) {
      if (seen.body !== raw)
        return razorpayError(
          400,
          'The request body differs from the first request with this idempotency key.',
        );
      return json(refundView(state.refunds.get(seen.refundId) as SimRefund));
    }
  }
  if (payment.status !== 'captured')
    return razorpayError(400, 'The payment has not been captured or is fully refunded', {
      reason: payment.status,
    });
  const left = payment.amount - payment.amountRefunded;
  const amount = body.amount === undefined ? left : body.amount;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0)
    return razorpayError(400, 'The amount must be a positive integer.', { field: 'amount' });
  if (payment.currency === 'INR' && amount < 100)
    return razorpayError(400, 'The amount must be at least INR 1.00', { field: 'amount' });
  if (amount > left)
    return razorpayError(400, 'The refund amount provided is greater than amount captured', {
      field: 'amount',
    });
  const speed = body.speed === 'optimum' ? 'optimum' : 'normal';
  const notes = body.notes && typeof body.notes === 'object' ? (body.notes as Record<string, string>) : {};
  const refund: SimRefund = {
    id: newId('rfnd'),
    paymentId: payment.id,
    amount,
    currency: payment.currency,
    status: 'pending',
    speedRequested: speed,
    receipt: typeof body.receipt === 'string' ? body.receipt : null,
    notes,
    createdAt: state.env.clock.now(),
    dueAt: state.env.clock.now() + state.config.refundProcessingMs,
  };
  state.refunds.set(refund.id, refund);
  if (key !== null) state.refundKeys.set(key, { body: raw, refundId: refund.id });
  payment.amountRefunded += amount;
  if (payment.amountRefunded === payment.amount) payment.status = 'refunded';
  sendEvents(state, [
    { event: 'refund.created', entities: { refund: refundView(refund), payment: paymentView(payment) } },
  ]);
  return json(refundView(refund));
}

export function listRefunds(state: RazorpayState, payment: SimPayment): Response {
  const items = [...state.refunds.values()].filter((r) => r.paymentId === payment.id).map(refundView);
  return json({ entity: 'collection', count: items.length, items });
}

export function getRefund(state: RazorpayState, account: RazorpayAccount, id: string): Response {
  const refund = state.refunds.get(id);
  if (!refund) return notFound('refund');
  const owner = ownedPayment(state, account, refund.paymentId);
  return owner instanceof Response ? owner : json(refundView(refund));
}
