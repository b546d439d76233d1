import type { Payment } from '@paybridge/core';
import { runBackendConformance } from '@paybridge/core/testing';
import {
  createSandbox,
  FLUTTERWAVE_SANDBOX_SECRET_HASH,
  FLUTTERWAVE_SANDBOX_SECRET_KEY,
} from '@paybridge/sandbox';
import { flutterwave } from '../src/index';

const SANDBOX = 'http://sandbox.test';
const sandbox = createSandbox({ baseUrl: SANDBOX });
const validSettings = {
  secretKey: FLUTTERWAVE_SANDBOX_SECRET_KEY,
  secretHash: FLUTTERWAVE_SANDBOX_SECRET_HASH,
  // The kit's buyers have no email; Flutterwave requires one.
  defaultCustomerEmail: 'orders@shop.test',
};

/** The transaction id in the simulator's redirect after the buyer acted on the payment's page. */
function actOn(payment: Payment, action: 'pay' | 'decline'): string {
  const link = sandbox.flutterwave.linkFor(payment.id);
  if (!link) throw new Error(`no hosted link for ${payment.id}`);
  const step = sandbox.flutterwave.act(link, action);
  if (step.method === 'GET') return new URL(step.url).searchParams.get('transaction_id') as string;
  // A declined card keeps the buyer on the page: the newest transaction of this tx_ref is the one.
  const ours = sandbox.flutterwave.transactions().filter((tx) => tx.tx_ref === payment.id);
  return String(ours.at(-1)?.id);
}

/** A genuine webhook (verif-hash = the secret hash) naming a transaction; the backend verifies it by id. */
const webhook = (notifyUrl: string, id: string, payment: Payment) =>
  new Request(notifyUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'verif-hash': FLUTTERWAVE_SANDBOX_SECRET_HASH },
    body: JSON.stringify({ event: 'charge.completed', data: { id: Number(id), tx_ref: payment.id } }),
  });

// Another attempt on the same hosted page, declined before the payment was paid (a page closes once paid).
const declined = new Map<string, string>();

runBackendConformance({
  name: 'flutterwave',
  factory: flutterwave,
  validSettings,
  invalidSettings: { secretKey: 'FLWPUBK_TEST-nope-X', secretHash: 'short', currencies: ['ngn'] },
  secretFields: ['secretKey', 'secretHash'],
  currency: 'NGN',
  amount: 1999,
  endpoint: `${SANDBOX}/flutterwave/v3`,
  fetch: (request) => sandbox.handler(request),
  binding: {
    settings: { ...validSettings, endpoint: `${SANDBOX}/flutterwave/v3` },
    fetch: (request) => sandbox.handler(request),
    paid: (payment, notifyUrl) => {
      declined.set(payment.id, actOn(payment, 'decline'));
      return webhook(notifyUrl, actOn(payment, 'pay'), payment);
    },
    otherFailed: (payment, notifyUrl) => {
      const id = declined.get(payment.id) ?? actOn(payment, 'decline');
      return webhook(notifyUrl, id, payment);
    },
  },
});
