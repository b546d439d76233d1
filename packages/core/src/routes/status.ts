import type { PublicPaymentStatus } from '../config';
import { PaybridgeError } from '../errors';
import { json } from '../lib/responses';
import { type Payment, SETTLED_STATUSES } from '../types';
import type { RouteContext } from './context';

/** What anyone holding a payment id may see: its status and amount, no personal data. */
export function publicStatus(payment: Payment): PublicPaymentStatus {
  return {
    id: payment.id,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    settled: SETTLED_STATUSES.has(payment.status),
    successUrl: payment.successUrl,
    failureUrl: payment.failureUrl,
  };
}

/** `GET /status/:paymentId`: what the waiting page and the Vue component poll. */
export async function statusRoute({ runtime, segments }: RouteContext): Promise<Response> {
  const payment = await runtime.store.getPayment(segments[0] ?? '');
  if (!payment) throw new PaybridgeError('UNKNOWN_PAYMENT', 'no such payment');
  return json(publicStatus(payment));
}
