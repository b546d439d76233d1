import { describe, expect, it, vi } from 'vitest';
import type { BackendContext, PaymentBackend } from '../src/backend';
import type { PaybridgeConfig } from '../src/config';
import { dummy } from '../src/dummy-backend';
import { isPaybridgeError, PaybridgeError, toPaybridgeError } from '../src/errors';
import { silentLogger } from '../src/logger';
import { createPaybridge } from '../src/paybridge';

const BASE = 'https://shop.example/payments';

/** A dummy whose prepare records the context the bridge gives it. */
function spy(overrides: Partial<PaymentBackend> = {}) {
  const contexts: BackendContext[] = [];
  const backend: PaymentBackend = {
    ...dummy({ signingKey: 'k'.repeat(32) }),
    // A real backend follows the bridge's testMode unless told otherwise.
    testMode: undefined,
    endpoints: { live: 'https://live.broker.example', test: 'https://sandbox.broker.example' },
    async prepare(payment, ctx) {
      contexts.push(ctx);
      return { redirect: { method: 'GET', url: `${ctx.baseUrl}/backend/dummy/pay/${payment.id}` } };
    },
    ...overrides,
  };
  return { backend, contexts };
}

function bridgeWith(backend: PaymentBackend, config: Partial<PaybridgeConfig> = {}) {
  return createPaybridge({
    baseUrl: BASE,
    backends: [backend],
    logger: silentLogger,
    outboxPollSeconds: 0,
    orders: {
      resolve: (id) => ({
        amount: 700,
        currency: 'EUR',
        description: `Order ${id}`,
        successUrl: 'https://shop.example/thanks',
        failureUrl: 'https://shop.example/sorry',
        snapshot: { reference: `REF-${id}`, customFields: { gift: 'yes' } },
      }),
    },
    ...config,
  });
}

describe('test mode and endpoints', () => {
  it.each<[string, Partial<PaymentBackend>, boolean | undefined, boolean, string]>([
    ['the bridge default (live)', {}, undefined, false, 'https://live.broker.example'],
    ['the bridge testMode', {}, true, true, 'https://sandbox.broker.example'],
    [
      "the backend's own testMode over the bridge's",
      { testMode: false },
      true,
      false,
      'https://live.broker.example',
    ],
    [
      'an endpoint override (trailing slash dropped)',
      { endpoint: 'http://127.0.0.1:4000/payu/' },
      true,
      true,
      'http://127.0.0.1:4000/payu',
    ],
  ])('%s', async (_name, overrides, bridgeTestMode, testMode, endpoint) => {
    const { backend, contexts } = spy(overrides);
    const bridge = bridgeWith(backend, bridgeTestMode === undefined ? {} : { testMode: bridgeTestMode });
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'o' });
    expect(contexts[0]).toMatchObject({ testMode, endpoint, notifyUrl: `${BASE}/notify/dummy` });
    expect(contexts[0]?.returnUrl(payment.id)).toBe(`${BASE}/return/dummy/${payment.id}`);
    expect(payment.testMode).toBe(testMode);
  });
});

describe('the bridge as functions', () => {
  it('gives setup instructions per backend and the backend itself by name', () => {
    const { backend } = spy();
    const bridge = bridgeWith(backend);
    const [instructions] = bridge.setupInstructions();
    expect(instructions).toMatchObject({ backend: 'dummy', displayName: 'Dummy' });
    expect(JSON.stringify(bridge.setupInstructions('https://public.example/pay/'))).toContain(
      'https://public.example/pay/backend/dummy/pay/{paymentId}',
    );
    expect(bridge.backend('dummy')).toBe(backend);
    expect(() => bridge.backend('nope')).toThrow(expect.objectContaining({ code: 'UNKNOWN_BACKEND' }));
  });

  it('emits typed events that carry the payment with its order snapshot', async () => {
    const bridge = bridgeWith(dummy({ signingKey: 'k'.repeat(32) }));
    const seen: Array<{ name: string; reference: unknown; gift: unknown; from?: string; to?: string }> = [];
    for (const name of [
      'payment.created',
      'payment.statusChanged',
      'payment.accepted',
      'payment.processed',
    ] as const) {
      bridge.on(name, (event) => {
        seen.push({
          name,
          reference: event.payment.order.reference,
          gift: event.payment.order.customFields?.gift,
          ...('from' in event ? { from: event.from, to: event.to } : {}),
        });
      });
    }
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: '42' });
    await bridge.handler(
      new Request(`${BASE}/backend/dummy/pay/${payment.id}`, {
        method: 'POST',
        body: new URLSearchParams({ action: 'pay' }),
      }),
    );
    expect(seen).toEqual([
      { name: 'payment.created', reference: 'REF-42', gift: 'yes' },
      { name: 'payment.statusChanged', reference: 'REF-42', gift: 'yes', from: 'new', to: 'paid' },
      { name: 'payment.accepted', reference: 'REF-42', gift: 'yes' },
      { name: 'payment.processed', reference: 'REF-42', gift: 'yes' },
    ]);
    expect((await bridge.getPayment(payment.id))?.order).toMatchObject({ amount: 700, reference: 'REF-42' });
  });

  it('marks dummy payments as test payments even on a live bridge', async () => {
    const bridge = bridgeWith(dummy({ signingKey: 'k'.repeat(32) }), { testMode: false });
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 't' });
    expect(payment.testMode).toBe(true);
    expect(bridge.availableBackends({ currency: 'EUR' }).available[0]?.testMode).toBe(true);
  });

  it('does not deliver events twice while a slow listener is still handling them (own outbox drain)', async () => {
    let now = new Date('2026-07-01T00:00:00.000Z');
    const bridge = bridgeWith(dummy({ signingKey: 'k'.repeat(32) }), { now: () => now });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const accepted: string[] = [];
    bridge.on('payment.accepted', async (event) => {
      accepted.push(event.payment.id);
      await gate;
    });
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'slow' });
    const paying = bridge.handler(
      new Request(`${BASE}/backend/dummy/pay/${payment.id}`, {
        method: 'POST',
        body: new URLSearchParams({ action: 'pay' }),
      }),
    );
    await vi.waitFor(() => expect(accepted).toHaveLength(1));
    now = new Date(now.getTime() + 120_000);
    const draining = bridge.drainOutbox();
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await draining;
    expect((await paying).status).toBe(303);
    now = new Date(now.getTime() + 120_000);
    await bridge.drainOutbox();
    expect(accepted).toEqual([payment.id]);
  });

  it('stops background work on close', () => {
    const bridge = bridgeWith(dummy({ signingKey: 'k'.repeat(32) }), { outboxPollSeconds: 1 });
    expect(() => bridge.close()).not.toThrow();
  });
});

describe('the customer coming back', () => {
  it('is never proof of payment: lands on the failure URL after a decline, the success URL otherwise', async () => {
    const bridge = bridgeWith(dummy({ signingKey: 'k'.repeat(32) }));
    const back = async (paymentId: string, query = '') => {
      const response = await bridge.handler(new Request(`${BASE}/return/dummy/${paymentId}${query}`));
      expect(response.status).toBe(303);
      return response.headers.get('location');
    };
    const waiting = await bridge.startPayment({ backend: 'dummy', orderId: 'w' });
    expect(await back(waiting.payment.id)).toBe(`https://shop.example/thanks?payment=${waiting.payment.id}`);
    expect((await bridge.getPayment(waiting.payment.id))?.status).toBe('new');
    expect(await back(waiting.payment.id, '?cancel=1')).toBe(
      `https://shop.example/sorry?payment=${waiting.payment.id}`,
    );

    const declined = await bridge.startPayment({ backend: 'dummy', orderId: 'd' });
    await bridge.handler(
      new Request(`${BASE}/backend/dummy/pay/${declined.payment.id}`, {
        method: 'POST',
        body: new URLSearchParams({ action: 'decline' }),
      }),
    );
    expect(await back(declined.payment.id)).toBe(`https://shop.example/sorry?payment=${declined.payment.id}`);
  });

  it('without landing URLs gets a page that polls the public status (no personal data in it)', async () => {
    const bridge = createPaybridge({
      baseUrl: BASE,
      backends: [dummy({ signingKey: 'k'.repeat(32) })],
      logger: silentLogger,
      outboxPollSeconds: 0,
      orders: {
        resolve: () => ({ amount: 5, currency: 'EUR', description: 'x', buyer: { email: 'a@b.example' } }),
      },
    });
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'n' });
    const page = await bridge.handler(new Request(`${BASE}/return/dummy/${payment.id}`));
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain(`${BASE}/status/${payment.id}`);
    const status = await (await bridge.handler(new Request(`${BASE}/status/${payment.id}`))).text();
    expect(status).not.toContain('a@b.example');
    expect(JSON.parse(status)).toEqual({
      id: payment.id,
      status: 'new',
      amount: 5,
      currency: 'EUR',
      settled: false,
      successUrl: null,
      failureUrl: null,
    });
  });
});

describe('errors', () => {
  it('are recognised by name and code, also from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), {
      name: 'PaybridgeError',
      code: 'UNKNOWN_PAYMENT',
      status: 404,
    });
    expect(isPaybridgeError(foreign)).toBe(true);
    expect(isPaybridgeError({ name: 'PaybridgeError', code: 'NO_SUCH_CODE' })).toBe(false);
    expect(isPaybridgeError(new Error('plain'))).toBe(false);
  });

  it('know their HTTP form, and unknown errors become INTERNAL without their text', async () => {
    const error = new PaybridgeError('ORDER_ALREADY_PAID', 'order o is paid', { details: { orderId: 'o' } });
    const response = error.toResponse();
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: { code: 'ORDER_ALREADY_PAID', message: 'order o is paid', details: { orderId: 'o' } },
    });
    const internal = toPaybridgeError(new Error('password=hunter2'));
    expect(internal).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(JSON.stringify(internal.toJSON())).not.toContain('hunter2');
  });
});
