import { createPaybridge, memoryStore, type OrderInfo, type Payment, silentLogger } from '@paybridge/core';
import { backendView } from '@paybridge/core/testing';
import {
  createSandbox,
  manualClock,
  P24_SANDBOX_MERCHANT,
  type P24Action,
  type Przelewy24SimulatorOptions,
} from '@paybridge/sandbox';
import { expect } from 'vitest';
import { type Przelewy24Options, przelewy24 } from '../../src/index';

/**
 * End to end in one process: the bridge's outbound fetch goes to the sandbox's handler, the sandbox's
 * notifications to the bridge's handler. The P24 simulator is a black box driven through its public
 * test contract (hosted page, act(), faults, clock).
 */
export const SHOP = 'https://shop.test/pay';
export const SANDBOX = 'http://sandbox.test';
export const MERCHANT = P24_SANDBOX_MERCHANT;

export interface E2eOptions {
  backend?: Partial<Przelewy24Options>;
  order?: Partial<OrderInfo>;
  simulator?: Przelewy24SimulatorOptions;
}

export function setup(options: E2eOptions = {}) {
  const clock = manualClock(Date.UTC(2027, 0, 15, 12, 0, 0));
  const store = memoryStore();
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => (handle.bridge as ReturnType<typeof createPaybridge>).handler(request),
    ...(options.simulator ? { przelewy24: options.simulator } : {}),
  });
  const backend = przelewy24({
    merchantId: MERCHANT.merchantId,
    posId: MERCHANT.posId,
    crc: MERCHANT.crc,
    apiKey: MERCHANT.apiKey,
    endpoint: `${SANDBOX}/przelewy24`,
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
        amount: 4999,
        currency: 'PLN',
        description: `Zamówienie ${orderId}`,
        buyer: { email: 'jan@example.pl', language: 'pl' },
        successUrl: 'https://shop.test/thanks',
        failureUrl: 'https://shop.test/sorry',
        ...options.order,
      }),
    },
  });
  handle.bridge = bridge;

  let orders = 0;
  /** Start a payment and open P24's page; returns our payment id and the P24 token. */
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
    expect(redirect.url.startsWith(`${SANDBOX}/przelewy24/trnRequest/`)).toBe(true);
    const page = await sandbox.handler(new Request(redirect.url));
    expect(page.status).toBe(200);
    const token = redirect.url.split('/').at(-1) as string;
    return { paymentId: payment.id, token };
  }

  /** The buyer acts on the page, then every notification due now is delivered. */
  async function act(token: string, action: P24Action) {
    const step = sandbox.przelewy24.act(token, action);
    await sandbox.flush();
    return step;
  }

  async function paid() {
    const started = await start();
    await act(started.token, 'pay');
    return started;
  }

  /** The payment as its backend sees it (`brokerData` is the backend's own part). */
  const get = async (id: string) => {
    const payment = (await bridge.getPayment(id)) as Payment;
    return backendView(payment, payment.backend);
  };
  const transaction = (token: string) => sandbox.przelewy24.transactions().find((t) => t.token === token);
  const outbound = async (kind: string) =>
    (await store.listMessages({ direction: 'outbound', limit: 500 })).items.filter((m) => m.kind === kind);
  const inbound = async () =>
    (await store.listMessages({ direction: 'inbound', limit: 500 })).items.filter(
      (m) => m.kind === 'notification',
    );

  return { sandbox, bridge, backend, store, clock, start, act, paid, get, transaction, outbound, inbound };
}

/** What must not depend on delivery order or duplicates. */
export const endState = (p: Payment) => ({
  status: p.status,
  amountPaid: p.amountPaid,
  amountRefunded: p.amountRefunded,
  externalId: p.externalId,
  captures: p.captures.map((c) => [c.id, c.amount, c.status]),
  refunds: p.refunds.map((r) => [r.kind, r.amount, r.status]).sort(),
});
