import { createPaybridge, memoryStore, type Payment, silentLogger } from '@paybridge/core';
import { backendView } from '@paybridge/core/testing';
import { expect } from 'vitest';
import type { PaypalOptions } from '../../src/lib/settings';
import { paypal } from '../../src/paypal';
import { encodeIpn, webAcceptIpn } from './fixtures';

/**
 * Harness of the NVP unit tests (test support, not exported by the package): a real bridge whose
 * NVP calls go to a scripted peer — each call is recorded, each answer is the script's. IPN
 * postbacks answer VERIFIED.
 */
export const SHOP = 'https://shop.test/pay';
export const NVP = 'https://nvp.test/nvp';
export const API = {
  username: 'api_user.example.com',
  password: 'PWD-s3cret+/=',
  signature: 'SIG.abc-DEF_123',
};
export const TXN = '1AB23456CD789012E';

export type Script = (fields: URLSearchParams) => Record<string, string>;

export function setup(script: Script, backend: Partial<PaypalOptions> = {}) {
  const calls: URLSearchParams[] = [];
  const store = memoryStore();
  let now = Date.UTC(2026, 10, 20, 12, 0, 0);
  const bridge = createPaybridge({
    baseUrl: SHOP,
    testMode: true,
    store,
    logger: silentLogger,
    now: () => new Date(now),
    backends: [
      paypal({
        business: 'merchant@example.com',
        receiverId: 'MERCHANT12345',
        receiverEmails: ['merchant@example.com'],
        api: { ...API, endpoint: NVP },
        ...backend,
      }),
    ],
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (request.url === NVP) {
        const fields = new URLSearchParams(await request.text());
        calls.push(fields);
        const answer = {
          TIMESTAMP: '2026-11-20T12:00:00Z',
          CORRELATIONID: 'c0ffee12345',
          VERSION: fields.get('VERSION') ?? '',
          BUILD: '1',
          ...script(fields),
        };
        return new Response(new URLSearchParams(answer).toString());
      }
      return new Response('VERIFIED');
    },
    orders: {
      resolve: (orderId) => ({
        amount: 1999,
        currency: 'EUR',
        description: `Order ${orderId}`,
        successUrl: 'https://shop.test/thanks',
        failureUrl: 'https://shop.test/sorry',
      }),
    },
  });
  const start = async () => {
    const response = await bridge.handler(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'paypal', orderId: 'order-1' }),
      }),
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { payment: { id: string } }).payment.id;
  };
  const ipn = async (paymentId: string, overrides: Record<string, string | null>) => {
    const response = await bridge.handler(
      new Request(`${SHOP}/notify/paypal`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new TextDecoder().decode(
          encodeIpn(
            webAcceptIpn({ invoice: paymentId, custom: paymentId, txn_id: TXN, test_ipn: '1', ...overrides }),
          ),
        ),
      }),
    );
    return response.status;
  };
  /** The payment as its backend sees it (`brokerData` is the backend's own part). */
  const get = async (id: string) => {
    const payment = (await bridge.getPayment(id)) as Payment;
    return backendView(payment, payment.backend);
  };
  return {
    bridge,
    store,
    calls,
    start,
    ipn,
    get,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export const details = (paymentId: string, extra: Record<string, string> = {}) => ({
  ACK: 'Success',
  TRANSACTIONID: TXN,
  RECEIVERID: 'MERCHANT12345',
  RECEIVEREMAIL: 'merchant@example.com',
  INVNUM: paymentId,
  CUSTOM: paymentId,
  AMT: '19.99',
  CURRENCYCODE: 'EUR',
  PAYMENTSTATUS: 'Completed',
  PENDINGREASON: 'None',
  ...extra,
});
