import type { PaymentStore } from '@paybridge/core';
import { openPayuPage, refundsAtPayu, SANDBOX, SHOP, startE2e } from '@paybridge/e2e-kit';
import type { PayuSimulatorOptions } from '@paybridge/sandbox';
import { payu } from '../../src/payu';

/** PayU's end to end through the shared kit: one POS, a shop with orders `order-<n>`. */
export { SANDBOX, SHOP };
export const BUYER_IP = '203.0.113.7';
export const POS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
  currency: 'PLN' as const,
};

export interface E2eOptions {
  /** Extra backend settings. */
  backend?: Record<string, unknown>;
  /** Simulator options (`tokenTtlSeconds`, `refundListShape`, …). */
  simulator?: PayuSimulatorOptions;
  /** Wrap the memory store (to make it fail on purpose). */
  store?: (store: PaymentStore) => PaymentStore;
}

export function setup(options: E2eOptions = {}) {
  const backend = payu({ ...POS, endpoint: `${SANDBOX}/payu`, testMode: true, ...options.backend });
  const e2e = startE2e({
    backends: [backend],
    startAt: Date.UTC(2026, 0, 15, 12, 0, 0),
    notifierIp: '185.68.14.10',
    simulators: { payu: options.simulator ?? {} },
    ...(options.store ? { store: options.store } : {}),
    orders: {
      resolve: (orderId) =>
        orderId.startsWith('order-')
          ? {
              amount: 21000,
              currency: 'PLN',
              description: `Order ${orderId}`,
              buyer: { email: 'john.doe@example.com', firstName: 'John', lastName: 'Doe', language: 'pl' },
              successUrl: 'https://shop.test/thanks',
              failureUrl: 'https://shop.test/sorry',
              items: [
                { name: 'Wireless Mouse', unitPrice: 15000, quantity: 1 },
                { name: 'HDMI cable', unitPrice: 6000, quantity: 1 },
              ],
            }
          : null,
    },
  });

  let orders = 0;
  function startResponse() {
    orders += 1;
    return e2e.startResponse({ backend: 'payu', orderId: `order-${orders}` }, BUYER_IP);
  }
  /** Start a payment and open PayU's hosted page; returns our payment id and PayU's order id. */
  const start = async () => openPayuPage(e2e, await startResponse());
  /** A payment the buyer paid (auto-receive), its notifications delivered. */
  async function paid() {
    const started = await start();
    await e2e.sandbox.payu.act(started.orderId, 'pay');
    await e2e.sandbox.flush();
    return started;
  }

  return {
    ...e2e,
    backend,
    start,
    startResponse,
    paid,
    notifications: (paymentId: string) => e2e.notifications(paymentId),
    refundsAtPayu: (orderId: string) => refundsAtPayu(e2e, orderId),
  };
}
