import type { Payment } from '@paybridge/core';
import { runBackendConformance } from '@paybridge/core/testing';
import { createSandbox } from '@paybridge/sandbox';
import { payu } from '../src/payu';
import { signedHeaders } from './support/fixtures';

const SANDBOX = 'http://sandbox.test';
const sandbox = createSandbox({ baseUrl: SANDBOX });
const SETTINGS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
  currency: 'PLN' as const,
};

/** A notification PayU signs with the POS's second key (the one in SETTINGS). */
function signedOrder(notifyUrl: string, payment: Payment, orderId: string, status: string): Request {
  const body = JSON.stringify({
    order: {
      orderId,
      extOrderId: payment.id,
      orderCreateDate: '2026-12-06T10:00:00.000+01:00',
      merchantPosId: SETTINGS.posId,
      description: payment.description,
      currencyCode: payment.currency,
      totalAmount: String(payment.amount),
      status,
    },
  });
  return new Request(notifyUrl, { method: 'POST', headers: signedHeaders(body), body });
}

runBackendConformance({
  name: 'payu',
  factory: payu,
  validSettings: SETTINGS,
  invalidSettings: { posId: '', clientId: '300746', secondKey: 42, currency: 'JPY' },
  secretFields: ['clientSecret', 'secondKey'],
  currency: 'PLN',
  amount: 21000,
  endpoint: `${SANDBOX}/payu`,
  fetch: (request) => sandbox.handler(request),
  binding: {
    settings: { ...SETTINGS, endpoint: `${SANDBOX}/payu` },
    // prepare creates the order at the sandbox: the payment is bound to it from the start.
    fetch: (request) => sandbox.handler(request),
    paid: (payment, notifyUrl) => signedOrder(notifyUrl, payment, payment.externalId as string, 'COMPLETED'),
    // Another order naming our payment in extOrderId (a POS shared with another shop, a hand-made order).
    otherFailed: (payment, notifyUrl) =>
      signedOrder(notifyUrl, payment, 'ZZOTHER0000261206GUEST000P01', 'CANCELED'),
  },
});
