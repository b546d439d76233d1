import { createPaybridge, memoryStore, type OrderInfo, type Payment, silentLogger } from '@paybridge/core';
import { backendView } from '@paybridge/core/testing';
import {
  createSandbox,
  manualClock,
  STRIPE_SANDBOX_CONNECTED_ACCOUNTS,
  STRIPE_SANDBOX_SECRET_KEY,
  type StripeAction,
  type StripeSimulatorOptions,
} from '@paybridge/sandbox';
import { expect } from 'vitest';
import { type StripeOptions, stripe } from '../../src/index';
import { SHOP, shopOrder, startRequest } from './harness';

/**
 * End to end in one process: the bridge's outbound fetch goes to the sandbox's handler, the sandbox's
 * webhooks to the bridge's handler. The Stripe simulator is a black box driven through its public test
 * contract (hosted page, act(), faults, clock); nothing of it is imported into the backend.
 */
export { SHOP } from './harness';
export const SANDBOX = 'http://sandbox.test';
export const WHSEC = 'whsec_e2e_platform_endpoint';
export const WHSEC_CONNECT = 'whsec_e2e_connect_endpoint';
export const [SELLER_A, SELLER_B] = STRIPE_SANDBOX_CONNECTED_ACCOUNTS as [string, string];
export const CARD_OK = '4242424242424242';

export interface E2eOptions {
  backend?: Partial<StripeOptions>;
  order?: Partial<OrderInfo>;
  /** Stripe simulator options (UNCONFIRMED variants). */
  simulator?: Omit<StripeSimulatorOptions, 'webhooks'>;
}

export function setup(options: E2eOptions = {}) {
  const clock = manualClock(Date.UTC(2027, 0, 15, 12, 0, 0));
  const store = memoryStore();
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => (handle.bridge as ReturnType<typeof createPaybridge>).handler(request),
    stripe: {
      ...options.simulator,
      webhooks: [
        { url: `${SHOP}/notify/stripe`, secret: WHSEC },
        { url: `${SHOP}/notify/stripe`, secret: WHSEC_CONNECT, connect: true },
      ],
    },
  });
  const backend = stripe({
    secretKey: STRIPE_SANDBOX_SECRET_KEY,
    webhookSecret: [WHSEC, WHSEC_CONNECT],
    endpoint: `${SANDBOX}/stripe`,
    maxNetworkRetries: 2,
    ...options.backend,
  });
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
  /** Start a payment and open Stripe's hosted page; returns our payment id and the session id. */
  async function start() {
    orders += 1;
    const response = await bridge.handler(startRequest(`order-${orders}`));
    expect(response.status).toBe(200);
    const { payment, redirect } = (await response.json()) as {
      payment: { id: string };
      redirect: { method: string; url: string };
    };
    expect(redirect.method).toBe('GET');
    expect(redirect.url.startsWith(`${SANDBOX}/stripe/c/pay/cs_test_`)).toBe(true);
    const page = await sandbox.handler(new Request(redirect.url));
    expect(page.status).toBe(200);
    const sessionId = redirect.url.split('/').at(-1) as string;
    expect((await bridge.getPayment(payment.id))?.externalId).toBe(sessionId);
    return { paymentId: payment.id, sessionId };
  }

  /** The buyer acts on the page, then every webhook due now is delivered. */
  async function act(sessionId: string, action: StripeAction) {
    const step = sandbox.stripe.act(sessionId, action);
    await sandbox.flush();
    return step;
  }

  async function paid() {
    const started = await start();
    await act(started.sessionId, { card: CARD_OK });
    return started;
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

  return { sandbox, bridge, backend, store, clock, start, act, paid, get, inbound, outbound };
}

/** What must not depend on delivery order or duplicates. */
export const endState = (p: Payment) => ({
  status: p.status,
  amountPaid: p.amountPaid,
  amountRefunded: p.amountRefunded,
  // Stripe's ids differ from run to run; the ledgers' shapes must not.
  captures: p.captures.map((c) => [c.id.slice(0, 3), c.amount, c.status]).sort(),
  refunds: p.refunds.map((r) => [r.kind, r.amount, r.status]).sort(),
  subscription: p.subscription?.status ?? null,
});
