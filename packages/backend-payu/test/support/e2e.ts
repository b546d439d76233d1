import { createPaybridge, memoryStore, type Payment, type PaymentStore, silentLogger } from '@paybridge/core';
import { createSandbox, manualClock, type PayuSimulatorOptions } from '@paybridge/sandbox';
import { expect } from 'vitest';
import { payu } from '../../src/payu';

/**
 * The end-to-end fixture, in process: the bridge's outbound fetch goes to the sandbox's handler, the
 * sandbox's notifications go to the bridge's handler. The PayU simulator is a black box driven through
 * its test contract (hosted page session header, act(), faults, controls). Not exported.
 */
export const SHOP = 'https://shop.test/pay';
export const SANDBOX = 'http://sandbox.test';
export const BUYER_IP = '203.0.113.7';
export const POS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
  currency: 'PLN' as const,
};

/** Like a real fetch: the call is abandoned when its signal aborts (the in-process handler would not). */
function abortable(handler: (request: Request) => Promise<Response>): typeof fetch {
  return (input, init) => {
    const request = new Request(input, init);
    const signal = init?.signal ?? null;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      handler(request).then(resolve, reject);
    });
  };
}

export interface E2eOptions {
  /** Extra backend settings. */
  backend?: Record<string, unknown>;
  /** Simulator options (`tokenTtlSeconds`, `refundListShape`, …). */
  simulator?: PayuSimulatorOptions;
  /** Wrap the memory store (to make it fail on purpose). */
  store?: (store: PaymentStore) => PaymentStore;
}

export function setup(options: E2eOptions = {}) {
  const clock = manualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
  const store = memoryStore();
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => handle.bridge!.handler(request, { clientIp: '185.68.14.10' }),
    payu: options.simulator ?? {},
  });
  const backend = payu({ ...POS, endpoint: `${SANDBOX}/payu`, testMode: true, ...options.backend });
  const bridge = createPaybridge({
    baseUrl: SHOP,
    backends: [backend],
    store: options.store ? options.store(store) : store,
    logger: silentLogger,
    fetch: abortable((request) => sandbox.handler(request)),
    now: () => new Date(clock.now()),
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
  handle.bridge = bridge;

  let orders = 0;
  async function startResponse() {
    orders += 1;
    return bridge.handler(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'payu', orderId: `order-${orders}` }),
      }),
      { clientIp: BUYER_IP },
    );
  }

  /** Start a payment and open PayU's hosted page; returns our payment id and PayU's order id. */
  async function start() {
    const response = await startResponse();
    expect(response.status).toBe(200);
    const { payment, redirect } = (await response.json()) as {
      payment: { id: string };
      redirect: { method: string; url: string };
    };
    expect(redirect.method).toBe('GET');
    expect(redirect.url.startsWith(`${SANDBOX}/payu/pay/`)).toBe(true);
    const page = await sandbox.handler(new Request(redirect.url));
    expect(page.status).toBe(200);
    const orderId = page.headers.get('x-sandbox-session');
    expect(orderId).toBeTruthy();
    const stored = await bridge.getPayment(payment.id);
    expect(stored?.externalId).toBe(orderId);
    return { paymentId: payment.id, orderId: orderId as string };
  }

  /** A payment the buyer paid (auto-receive), its notifications delivered. */
  async function paid() {
    const started = await start();
    await sandbox.payu.act(started.orderId, 'pay');
    await sandbox.flush();
    return started;
  }

  const get = async (id: string) => (await bridge.getPayment(id)) as Payment;
  const messages = async (paymentId: string, direction?: 'inbound' | 'outbound') =>
    (await store.listMessages({ paymentId, limit: 500, ...(direction ? { direction } : {}) })).items;
  const notifications = async (paymentId: string) =>
    (await messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
  const allMessages = async () => (await store.listMessages({ limit: 500 })).items;
  const refundsAtPayu = (orderId: string) =>
    sandbox.payu.orders().find((o) => o.id === orderId)?.refunds ?? [];

  return {
    sandbox,
    bridge,
    backend,
    store,
    clock,
    start,
    startResponse,
    paid,
    get,
    messages,
    notifications,
    allMessages,
    refundsAtPayu,
  };
}
