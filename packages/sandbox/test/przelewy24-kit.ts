import { createHash } from 'node:crypto';
import {
  createSandbox,
  manualClock,
  P24_SANDBOX_MERCHANT,
  type Przelewy24SimulatorOptions,
} from '../src/index';

/** A merchant's view of the P24 simulator: its own signing (node:crypto), Basic auth, a recording notify URL. */
export const BASE = 'http://sandbox.test';
export const P24 = `${BASE}/przelewy24`;
export const NOTIFY = 'https://shop.test/notify/p24';
export const RETURN = 'https://shop.test/return/p24';
export const M = P24_SANDBOX_MERCHANT;

// biome-ignore lint/suspicious/noExplicitAny: JSON answers and notifications, asserted field by field in the tests
export type Json = Record<string, any>;

export function sha384Sign(ordered: Record<string, unknown>, crc: string): string {
  return createHash('sha384')
    .update(JSON.stringify({ ...ordered, crc }), 'utf8')
    .digest('hex');
}

export function setup(options: Przelewy24SimulatorOptions = {}) {
  const received: Array<Record<string, unknown>> = [];
  const answer = { status: 200, verify: true };
  const clock = manualClock();
  const handle: { sandbox?: ReturnType<typeof createSandbox> } = {};
  const api = async (method: string, path: string, body?: unknown, auth = `${M.posId}:${M.apiKey}`) => {
    const response = await (handle.sandbox as ReturnType<typeof createSandbox>).handler(
      new Request(`${P24}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    return { status: response.status, json: (await response.json()) as Json };
  };
  const verify = (n: Json) =>
    api('PUT', '/transaction/verify', {
      merchantId: M.merchantId,
      posId: M.posId,
      sessionId: n.sessionId,
      amount: n.amount,
      currency: n.currency,
      orderId: n.orderId,
      sign: sha384Sign(
        { sessionId: n.sessionId, orderId: n.orderId, amount: n.amount, currency: n.currency },
        M.crc,
      ),
    });
  const sandbox = createSandbox({
    baseUrl: BASE,
    clock,
    przelewy24: options,
    fetch: async (request) => {
      const body = (await request.json()) as Record<string, unknown>;
      received.push(body);
      // A merchant that verifies what it is told (when `answer.verify`).
      if (answer.verify && 'methodId' in body) await verify(body);
      return new Response('OK', { status: answer.status });
    },
  });
  handle.sandbox = sandbox;

  async function register(
    overrides: Record<string, unknown> = {},
    sessionId = `s-${received.length}-${Math.random()}`,
  ) {
    const base = { sessionId, merchantId: M.merchantId, amount: 1234, currency: 'PLN' };
    const values = { ...base, ...overrides };
    const body = {
      ...values,
      posId: M.posId,
      description: 'Zamówienie 1/2026',
      email: 'jan@example.pl',
      country: 'PL',
      language: 'pl',
      urlReturn: RETURN,
      urlStatus: NOTIFY,
      sign: sha384Sign(
        {
          sessionId: values.sessionId,
          merchantId: values.merchantId,
          amount: values.amount,
          currency: values.currency,
        },
        M.crc,
      ),
      ...('sign' in overrides ? { sign: overrides.sign } : {}),
    };
    return api('POST', '/transaction/register', body);
  }

  return { sandbox, clock, received, answer, api, verify, register };
}
