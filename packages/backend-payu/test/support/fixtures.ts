import { createHash } from 'node:crypto';
import {
  isPaybridgeError,
  type NotificationContext,
  type PaybridgeError,
  type Payment,
  silentLogger,
} from '@paybridge/core';

/** Test doubles for the backend's unit tests: a scripted PayU API and a bridge context. Not exported. */

export interface RecordedCall {
  url: string;
  method: string;
  headers: Headers;
  body: string;
  redirect: RequestRedirect | undefined;
  meta: { kind: string; paymentId?: string | null; timeoutMs?: number };
}

export type Route = (call: RecordedCall) => Response | Promise<Response>;

export const ENDPOINT = 'https://payu.test';
export const SECOND_KEY = 'b6ca15b0d1020e8094d9b5f8d163db54';
export const SETTINGS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: SECOND_KEY,
  currency: 'PLN' as const,
  endpoint: ENDPOINT,
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'correlation-id': 'corr-1', ...headers },
  });
}

/** A fake PayU: routes keyed by "METHOD /path" (path below the endpoint); OAuth answered by default. */
export function fakePayu(routes: Record<string, Route> = {}) {
  const calls: RecordedCall[] = [];
  let tokenCounter = 0;
  let clock = new Date('2026-01-01T10:00:00Z');
  const all: Record<string, Route> = {
    'POST /pl/standard/user/oauth/authorize': () => {
      tokenCounter += 1;
      return json(200, {
        access_token: `token-${tokenCounter}`,
        token_type: 'bearer',
        expires_in: 43199,
        grant_type: 'client_credentials',
      });
    },
    ...routes,
  };
  const ctx: NotificationContext & { payments: Map<string, Payment> } = {
    testMode: true,
    endpoint: ENDPOINT,
    baseUrl: 'https://shop.test/pay',
    notifyUrl: 'https://shop.test/pay/notify/payu',
    returnUrl: (paymentId) => `https://shop.test/pay/return/payu/${paymentId}`,
    clientIp: '203.0.113.7',
    now: () => clock,
    logger: silentLogger,
    payments: new Map(),
    async getPayment(id) {
      return this.payments.get(id) ?? null;
    },
    async findPaymentByExternalId(externalId) {
      return [...this.payments.values()].find((p) => p.externalId === externalId) ?? null;
    },
    async fetch(url, init, meta) {
      const call: RecordedCall = {
        url,
        method: init.method ?? 'GET',
        headers: new Headers(init.headers),
        body: typeof init.body === 'string' ? init.body : '',
        redirect: init.redirect,
        meta,
      };
      calls.push(call);
      const key = `${call.method} ${new URL(url).pathname}`;
      const route = all[key];
      if (!route) return json(404, { status: { statusCode: 'DATA_NOT_FOUND' } });
      return route(call);
    },
  };
  return {
    ctx,
    calls,
    routes: all,
    /** Calls other than OAuth. */
    apiCalls: () => calls.filter((c) => c.meta.kind !== 'oauth'),
    oauthCalls: () => calls.filter((c) => c.meta.kind === 'oauth'),
    advance(ms: number) {
      clock = new Date(clock.getTime() + ms);
    },
  };
}

export function makePayment(overrides: Partial<Payment> = {}): Payment {
  return {
    id: 'pay_abc123',
    orderId: 'order-42',
    backend: 'payu',
    amount: 21000,
    currency: 'PLN',
    status: 'pending',
    amountAuthorized: 0,
    amountPaid: 0,
    amountRefunded: 0,
    captures: [],
    refunds: [],
    externalId: 'LDLW5N7MF4140324GUEST000P01',
    description: 'Order 42',
    buyer: { email: 'john.doe@example.com', firstName: 'John', lastName: 'Doe', language: 'pl' },
    order: {},
    recurrence: null,
    parentPaymentId: null,
    subscription: null,
    brokerData: {},
    successUrl: null,
    failureUrl: null,
    testMode: true,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    expiresAt: null,
    version: 1,
    ...overrides,
  };
}

/** Sign like PayU does, computed with node:crypto (independent of the code under test). */
export function signedHeaders(body: string, algorithm = 'MD5', key = SECOND_KEY): Headers {
  const hash = createHash(algorithm.replace('-', '').toLowerCase())
    .update(Buffer.concat([Buffer.from(body, 'utf8'), Buffer.from(key, 'utf8')]))
    .digest('hex');
  return new Headers({
    'content-type': 'application/json;charset=UTF-8',
    'openpayu-signature': `sender=checkout;signature=${hash};algorithm=${algorithm};content=DOCUMENT`,
  });
}

export function inbound(body: string, headers: Headers, url = 'https://shop.test/pay/notify/payu') {
  return {
    method: 'POST',
    url,
    headers,
    body: new TextEncoder().encode(body),
    clientIp: '185.68.14.10',
    receivedAt: new Date(),
  };
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
