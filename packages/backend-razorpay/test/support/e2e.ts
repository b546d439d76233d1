import { createPaybridge, memoryStore, type OrderInfo, type Payment, silentLogger } from '@paybridge/core';
import { backendView } from '@paybridge/core/testing';
import {
  createSandbox,
  manualClock,
  RAZORPAY_SANDBOX_KEY_ID,
  RAZORPAY_SANDBOX_KEY_SECRET,
  type RazorpayAction,
  type RazorpaySimulatorOptions,
} from '@paybridge/sandbox';
import { expect } from 'vitest';
import { type RazorpayOptions, razorpay } from '../../src/index';

/**
 * End to end in one process: the bridge's outbound fetch goes to the sandbox's handler, the sandbox's
 * webhooks to the bridge's handler. The Razorpay simulator is driven only through its public test
 * contract (hosted page, act(), faults, clock).
 */
export const SHOP = 'https://shop.test/pay';
export const SANDBOX = 'http://sandbox.test';
export const WEBHOOK_SECRET = 'e2e-webhook-secret';
export const KEY = { keyId: RAZORPAY_SANDBOX_KEY_ID, keySecret: RAZORPAY_SANDBOX_KEY_SECRET };

export interface E2eOptions {
  backend?: Partial<RazorpayOptions>;
  order?: Partial<OrderInfo>;
  simulator?: Omit<RazorpaySimulatorOptions, 'webhooks'>;
  /** The secret the simulated Dashboard signs with (default the one the backend knows). */
  simulatorSecret?: string;
}

export function setup(options: E2eOptions = {}) {
  const clock = manualClock(Date.UTC(2027, 0, 15, 12, 0, 0));
  const store = memoryStore();
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => (handle.bridge as ReturnType<typeof createPaybridge>).handler(request),
    razorpay: {
      ...options.simulator,
      webhooks: [{ url: `${SHOP}/notify/razorpay`, secret: options.simulatorSecret ?? WEBHOOK_SECRET }],
    },
  });
  const backend = razorpay({
    ...KEY,
    webhookSecret: WEBHOOK_SECRET,
    endpoint: `${SANDBOX}/razorpay`,
    ...options.backend,
  });
  const bridge = createPaybridge({
    baseUrl: SHOP,
    backends: [backend],
    store,
    logger: silentLogger,
    fetch: (input, init) => sandbox.handler(new Request(input, init)),
    now: () => new Date(clock.now()),
    orders: {
      resolve: (orderId) => ({
        amount: 49_900,
        currency: 'INR',
        description: `Order ${orderId}`,
        buyer: { email: 'asha@example.in', firstName: 'Asha', phone: '+919876543210' },
        successUrl: 'https://shop.test/thanks',
        failureUrl: 'https://shop.test/sorry',
        ...options.order,
      }),
    },
  });
  handle.bridge = bridge;

  let orders = 0;
  /** Start a payment and open its Payment Link page; returns our payment id and the link id. */
  async function start() {
    orders += 1;
    const response = await bridge.handler(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'razorpay', orderId: `order-${orders}` }),
      }),
    );
    expect(response.status).toBe(200);
    const { payment, redirect } = (await response.json()) as {
      payment: { id: string };
      redirect: { method: string; url: string };
    };
    expect(redirect.method).toBe('GET');
    expect(redirect.url.startsWith(`${SANDBOX}/razorpay/i/`)).toBe(true);
    const page = await sandbox.handler(new Request(redirect.url));
    expect(page.status).toBe(200);
    const linkId = page.headers.get('x-sandbox-session') as string;
    expect((await bridge.getPayment(payment.id))?.externalId).toBe(linkId);
    return { paymentId: payment.id, linkId, url: redirect.url };
  }

  /** The buyer acts on the page, then every webhook due now is delivered. */
  async function act(linkId: string, action: RazorpayAction) {
    const step = sandbox.razorpay.act(linkId, action);
    await sandbox.flush();
    return step;
  }

  async function paid() {
    const started = await start();
    const step = await act(started.linkId, 'pay');
    return { ...started, step };
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

  return { sandbox, bridge, backend, store, clock, start, act, paid, get, inbound };
}

/** What must not depend on delivery order or duplicates. */
export const endState = (p: Payment) => ({
  status: p.status,
  amountPaid: p.amountPaid,
  amountRefunded: p.amountRefunded,
  captures: p.captures.map((c) => [c.amount, c.status]).sort(),
  refunds: p.refunds.map((r) => [r.kind, r.amount, r.status]).sort(),
});
