import type { ApiCall } from './context';
import { StripeFailure } from './http';

interface InvoicePayment {
  invoice: string;
  status: string;
  payment: { type: string; payment_intent?: string };
}

/**
 * `GET /v1/invoice_payments` (the SDK's InvoicePaymentListParams): the payments of the account's invoices,
 * newest first, by `invoice`, by `status`, or by `payment[type]=payment_intent` and
 * `payment[payment_intent]` (which invoice a PaymentIntent paid). `limit` 1–100, default 10.
 */
export function listInvoicePayments(call: ApiCall): Record<string, unknown> {
  const p = call.params.onlyKnown(['invoice', 'status', 'payment', 'limit']);
  const limit = p.integer('limit') ?? 10;
  if (limit < 1 || limit > 100)
    throw StripeFailure.invalid('Invalid limit: must be between 1 and 100', 'limit');
  const invoice = p.string('invoice');
  const status = p.oneOf('status', ['canceled', 'open', 'paid']);
  let intent: string | undefined;
  if (p.has('payment')) {
    const payment = p.object('payment').onlyKnown(['type', 'payment_intent']);
    payment.oneOf('type', ['payment_intent']);
    payment.requiredString('type');
    intent = payment.string('payment_intent');
  }
  const items = [...call.state.objects.values()]
    .filter((o) => o.account === call.account && o.json.object === 'invoice')
    .flatMap((o) => (o.json.payments as { data?: InvoicePayment[] } | undefined)?.data ?? [])
    .filter(
      (ip) =>
        (invoice === undefined || ip.invoice === invoice) &&
        (status === undefined || ip.status === status) &&
        (intent === undefined || ip.payment.payment_intent === intent),
    )
    .reverse();
  return {
    object: 'list',
    data: items.slice(0, limit),
    has_more: items.length > limit,
    url: '/v1/invoice_payments',
  };
}
