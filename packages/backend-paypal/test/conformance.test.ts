import type { Payment } from '@paybridge/core';
import { runBackendConformance } from '@paybridge/core/testing';
import { paypal } from '../src/paypal';
import { encodeIpn, webAcceptIpn } from './support/fixtures';

/** A PayPal fake for the binding check: it VERIFIES a postback only of an IPN it sent itself. */
const sent = new Set<string>();
function ipn(notifyUrl: string, payment: Payment, overrides: Record<string, string>): Request {
  const body = encodeIpn(
    webAcceptIpn({ invoice: payment.id, custom: payment.id, transaction_subject: payment.id, ...overrides }),
  );
  sent.add(new TextDecoder().decode(body));
  return new Request(notifyUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body as Uint8Array<ArrayBuffer>,
  });
}
async function verifyPostback(request: Request): Promise<Response> {
  const body = await request.text();
  const echoed = body.replace(/^cmd=_notify-validate&/, '');
  return new Response(sent.has(echoed) ? 'VERIFIED' : 'INVALID');
}

runBackendConformance({
  name: 'paypal',
  factory: paypal,
  validSettings: { business: 'merchant@example.com', receiverId: 'MERCHANT12345' },
  invalidSettings: { business: '', receiverId: 'not an id', currencies: ['KWD'], returnMethod: 'PUT' },
  currency: 'EUR',
  amount: 1999,
  binding: {
    settings: { business: 'merchant@example.com', receiverId: 'MERCHANT12345', postbackAttempts: 1 },
    fetch: verifyPostback,
    // The customer's own checkout, paid: its txn_id binds the payment.
    paid: (payment, notifyUrl) =>
      ipn(notifyUrl, payment, { txn_id: '1OWN0000000000001', ipn_track_id: 'own00000001' }),
    // A stranger's own checkout with the same invoice, refused at PayPal.
    otherFailed: (payment, notifyUrl) =>
      ipn(notifyUrl, payment, {
        txn_id: '9OTHER00000000002',
        payment_status: 'Failed',
        ipn_track_id: 'other0000002',
      }),
  },
});
