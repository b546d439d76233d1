import { createPaybridge, memoryStore, type Payment, silentLogger } from '@paybridge/core';
import { createSandbox, manualClock, type PaypalSimulatorOptions } from '@paybridge/sandbox';
import { expect } from 'vitest';
import type { PaypalOptions } from '../../src/lib/settings';
import { paypal } from '../../src/paypal';

/**
 * Harness of the end-to-end tests (test support, not exported by the package). In process: the
 * bridge's outbound fetch (the IPN postback) goes to the sandbox's handler, the sandbox's IPNs go to
 * the bridge's handler. The PayPal simulator is a black box driven through its test contract (session
 * header, act(), controls, faults, introspection).
 */
export const SHOP = 'https://shop.test/pay';
export const SANDBOX = 'http://sandbox.test';
export const MONTH = 31 * 24 * 3600 * 1000;

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

export function setup(
  options: { simulator?: PaypalSimulatorOptions; backend?: Partial<PaypalOptions> } = {},
) {
  const clock = manualClock(Date.UTC(2026, 10, 20, 12, 0, 0));
  const store = memoryStore();
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => handle.bridge!.handler(request, { clientIp: '173.0.82.126' }),
    ...(options.simulator ? { paypal: options.simulator } : {}),
  });
  const bridge = createPaybridge({
    baseUrl: SHOP,
    testMode: true,
    backends: [
      paypal({
        business: 'merchant@example.com',
        receiverId: 'MERCHANT12345',
        receiverEmails: ['merchant@example.com'],
        endpoint: `${SANDBOX}/paypal`,
        postbackTimeoutMs: 200,
        postbackAttempts: 1,
        ...options.backend,
      }),
    ],
    store,
    logger: silentLogger,
    fetch: abortable((request) => sandbox.handler(request)),
    now: () => new Date(clock.now()),
    orders: {
      resolve: (orderId) => ({
        // 1500 ¥ (no ISO decimals), 1500 Ft (two ISO decimals PayPal refuses), 19.99 €.
        amount: orderId.startsWith('jpy-') ? 1500 : orderId.startsWith('huf-') ? 150000 : 1999,
        currency: orderId.startsWith('jpy-') ? 'JPY' : orderId.startsWith('huf-') ? 'HUF' : 'EUR',
        description: `Order ${orderId}`,
        successUrl: 'https://shop.test/thanks',
        failureUrl: 'https://shop.test/sorry',
        ...(orderId.startsWith('sub-') ? { recurrence: { interval: 'month' as const, every: 1 } } : {}),
      }),
    },
  });
  handle.bridge = bridge;

  let orders = 0;
  /**
   * Start a payment, submit the auto-submitted form to PayPal; returns our payment id and the session.
   * `edit` changes the form before it is submitted, as a buyer can do with a plain button form.
   */
  async function start(prefix = 'order-', edit: Record<string, string> = {}) {
    orders += 1;
    const response = await bridge.handler(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'paypal', orderId: `${prefix}${orders}` }),
      }),
    );
    expect(response.status).toBe(200);
    const { payment, redirect } = (await response.json()) as {
      payment: { id: string };
      redirect: { method: string; url: string; fields: Record<string, string> };
    };
    expect(redirect).toMatchObject({ method: 'POST', url: `${SANDBOX}/paypal/cgi-bin/webscr` });
    const page = await sandbox.handler(
      new Request(redirect.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...redirect.fields, ...edit }).toString(),
      }),
    );
    expect(page.status).toBe(200);
    const session = page.headers.get('x-sandbox-session');
    expect(session).toBeTruthy();
    return { paymentId: payment.id, session: session as string, fields: redirect.fields };
  }

  const get = async (id: string) => (await bridge.getPayment(id)) as Payment;
  const txnOf = (paymentId: string) => {
    const txn = sandbox.paypal.transactions().find((t) => t.invoice === paymentId && !t.parentTxnId);
    if (!txn) throw new Error(`no PayPal transaction for ${paymentId}`);
    return txn.txnId;
  };
  const notifications = async () =>
    (await store.listMessages({ direction: 'inbound', limit: 500 })).items.filter(
      (m) => m.kind === 'notification',
    );
  const anomalies: string[] = [];
  bridge.on('payment.anomaly', ({ anomaly }) => {
    anomalies.push(anomaly.code);
  });
  return { sandbox, bridge, store, clock, start, get, txnOf, notifications, anomalies };
}

export const zoe = { buyer: { firstName: 'Zoë', lastName: 'Ærøskøbing', email: 'zoe+shop@example.net' } };
