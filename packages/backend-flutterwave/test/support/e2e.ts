import { createPaybridge, memoryStore, type OrderInfo, type Payment, silentLogger } from '@paybridge/core';
import { backendView } from '@paybridge/core/testing';
import {
  createSandbox,
  FLUTTERWAVE_SANDBOX_SECRET_HASH,
  FLUTTERWAVE_SANDBOX_SECRET_KEY,
  type FlutterwaveAction,
  type FlutterwaveSimulatorOptions,
  manualClock,
} from '@paybridge/sandbox';
import { expect } from 'vitest';
import { type FlutterwaveOptions, flutterwave } from '../../src/index';

/**
 * End to end in one process: the bridge's outbound calls go to the sandbox's handler, the sandbox's
 * webhooks to the bridge's handler. The Flutterwave simulator is driven only through its public test
 * contract (hosted page, act(), faults, clock); none of it is imported into the backend.
 */
export const SANDBOX = 'http://sandbox.test';
export const SHOP = 'https://shop.test/pay';
export const ENDPOINT = `${SANDBOX}/flutterwave/v3`;
export const SETTINGS = {
  secretKey: FLUTTERWAVE_SANDBOX_SECRET_KEY,
  secretHash: FLUTTERWAVE_SANDBOX_SECRET_HASH,
  endpoint: ENDPOINT,
} satisfies FlutterwaveOptions;

/** The shop's order: 1999 NGN minor units (19.99 ₦), a buyer with an email. */
export const shopOrder = (orderId: string, extra: Partial<OrderInfo> = {}): OrderInfo => ({
  amount: 1999,
  currency: 'NGN',
  description: `Order ${orderId}`,
  buyer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Obi' },
  successUrl: 'https://shop.test/thanks',
  failureUrl: 'https://shop.test/sorry',
  ...extra,
});

export interface E2eOptions {
  backend?: Partial<FlutterwaveOptions>;
  order?: Partial<OrderInfo>;
  simulator?: FlutterwaveSimulatorOptions;
}

export function setup(options: E2eOptions = {}) {
  const clock = manualClock(Date.UTC(2027, 0, 15, 12, 0, 0));
  const store = memoryStore();
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => (handle.bridge as ReturnType<typeof createPaybridge>).handler(request),
    flutterwave: { webhookUrl: `${SHOP}/notify/flutterwave`, ...options.simulator },
  });
  const backend = flutterwave({ ...SETTINGS, ...options.backend });
  const bridge = createPaybridge({
    baseUrl: SHOP,
    backends: [backend],
    store,
    logger: silentLogger,
    fetch: (input, init) => sandbox.handler(new Request(input, init)),
    now: () => new Date(clock.now()),
    orders: { resolve: (orderId) => shopOrder(orderId, options.order) },
  });
  handle.bridge = bridge;

  let orders = 0;
  /** Start a payment and open the hosted page; returns our payment id and the link id. */
  async function start() {
    orders += 1;
    const response = await bridge.handler(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: backend.id, orderId: `order-${orders}` }),
      }),
    );
    expect(response.status).toBe(200);
    const { payment, redirect } = (await response.json()) as {
      payment: { id: string };
      redirect: { method: string; url: string };
    };
    expect(redirect.method).toBe('GET');
    expect(redirect.url.startsWith(`${ENDPOINT}/hosted/pay/`)).toBe(true);
    const page = await sandbox.handler(new Request(redirect.url));
    expect(page.status).toBe(200);
    return { paymentId: payment.id, linkId: redirect.url.split('/').at(-1) as string };
  }

  /** The buyer acts on the page, then every webhook due now is delivered. */
  async function act(linkId: string, action: FlutterwaveAction) {
    const step = sandbox.flutterwave.act(linkId, action);
    await sandbox.flush();
    return step;
  }

  /** The payment as its backend sees it (`brokerData` is the backend's own part). */
  const get = async (id: string) => {
    const payment = (await bridge.getPayment(id)) as Payment;
    return backendView(payment, payment.backend);
  };
  const inbound = async () =>
    (await store.listMessages({ direction: 'inbound', limit: 500 })).items.filter(
      (m) => m.kind === 'notification',
    );
  const outbound = async () => (await store.listMessages({ direction: 'outbound', limit: 500 })).items;

  return { sandbox, bridge, backend, store, clock, start, act, get, inbound, outbound };
}

/** What must not depend on delivery order or duplicates. */
export const endState = (p: Payment) => ({
  status: p.status,
  amountPaid: p.amountPaid,
  amountRefunded: p.amountRefunded,
  externalId: p.externalId,
  captures: p.captures.map((c) => [c.id, c.amount, c.status]),
});
