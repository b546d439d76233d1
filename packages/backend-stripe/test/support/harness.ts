import {
  createPaybridge,
  isPaybridgeError,
  memoryStore,
  type NotificationContext,
  type OrderInfo,
  type PaybridgeError,
  type Payment,
  silentLogger,
} from '@paybridge/core';
import { backendView } from '@paybridge/core/testing';
import { SHOP, shopOrder } from '@paybridge/e2e-kit';
import { type StripeOptions, stripe } from '../../src/index';
import { type FakeStripe, fakeStripe, stripeSignature, WEBHOOK_SECRET } from './fake-stripe';

export { SHOP };
export const SECRET_KEY = 'sk_test_51UnitTestKeyForPaybridge';
export const SETTINGS = { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET } satisfies StripeOptions;

/** The shop's order for `orderId` (19.99 EUR, a French-speaking buyer), with `extra` over it. */
export const stripeOrder = (orderId: string, extra: Partial<OrderInfo> = {}): OrderInfo =>
  shopOrder(orderId, {
    amount: 1999,
    currency: 'EUR',
    buyer: { email: 'ada@example.com', language: 'fr' },
    ...extra,
  });

/** The buyer's `POST /start` for a Stripe payment of `orderId`, asking for JSON. */
export const startRequest = (orderId: string) =>
  new Request(`${SHOP}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ backend: 'stripe', orderId }),
  });

/** A bridge context whose outbound calls go to the fake Stripe (direct backend-method tests). */
export function fakeContext(fake: FakeStripe, payments: Payment[] = []): NotificationContext {
  const byId = new Map(payments.map((p) => [p.id, p]));
  return {
    testMode: true,
    endpoint: 'https://api.stripe.com',
    baseUrl: SHOP,
    notifyUrl: `${SHOP}/notify/stripe`,
    returnUrl: (id, params) =>
      `${SHOP}/return/stripe/${id}${params ? `?${new URLSearchParams(params).toString()}` : ''}`,
    clientIp: '203.0.113.7',
    now: () => new Date('2027-01-15T12:00:00Z'),
    logger: silentLogger,
    fetch: (url, init, meta) => fake.handle(url, init, meta.kind),
    getPayment: async (id) => byId.get(id) ?? null,
    findPaymentByExternalId: async (externalId) =>
      [...byId.values()].find((p) => p.externalId === externalId) ?? null,
  };
}

export function makePayment(overrides: Partial<Payment> = {}): Payment {
  return {
    id: 'pay_abc123',
    orderId: 'order-42',
    backend: 'stripe',
    amount: 1999,
    currency: 'EUR',
    status: 'new',
    amountAuthorized: 0,
    amountPaid: 0,
    amountRefunded: 0,
    captures: [],
    refunds: [],
    externalId: null,
    description: 'Order 42',
    buyer: { email: 'ada@example.com', language: 'fr' },
    order: {},
    recurrence: null,
    parentPaymentId: null,
    subscription: null,
    brokerData: {},
    successUrl: null,
    failureUrl: null,
    testMode: true,
    createdAt: '2027-01-15T12:00:00.000Z',
    updatedAt: '2027-01-15T12:00:00.000Z',
    expiresAt: null,
    version: 1,
    ...overrides,
  };
}

/** The bridge with an in-memory store, the backend under test, and the fake Stripe as its network. */
export function bridgeWithFake(options: Partial<StripeOptions> = {}, order: Partial<OrderInfo> = {}) {
  const fake = fakeStripe();
  const store = memoryStore();
  const backend = stripe({ ...SETTINGS, ...options });
  const bridge = createPaybridge({
    baseUrl: SHOP,
    backends: [backend],
    store,
    logger: silentLogger,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const body = request.method === 'GET' || request.method === 'DELETE' ? undefined : await request.text();
      return fake.handle(request.url, { method: request.method, headers: request.headers, body });
    },
    orders: { resolve: (orderId) => stripeOrder(orderId, order) },
  });

  let orders = 0;
  async function start() {
    orders += 1;
    const response = await bridge.handler(startRequest(`order-${orders}`));
    if (response.status !== 200)
      throw new Error(`start answered ${response.status}: ${await response.text()}`);
    const { payment } = (await response.json()) as { payment: { id: string } };
    const stored = (await bridge.getPayment(payment.id)) as Payment;
    return { paymentId: payment.id, sessionId: stored.externalId as string };
  }

  /** POST a webhook to /notify/stripe, signed with the configured secret unless told otherwise. */
  function deliver(body: string, signature = stripeSignature(body)) {
    return bridge.handler(
      new Request(`${SHOP}/notify/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
        body,
      }),
    );
  }

  /** The payment as its backend sees it (`brokerData` is the backend's own part). */
  const get = async (id: string) => {
    const payment = (await bridge.getPayment(id)) as Payment;
    return backendView(payment, payment.backend);
  };
  return { fake, store, backend, bridge, start, deliver, get };
}

/** The PaybridgeError a promise is rejected with; anything else (or no rejection) fails the test. */
export async function caught(promise: Promise<unknown>): Promise<PaybridgeError> {
  try {
    await promise;
  } catch (error) {
    if (isPaybridgeError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
