import { describe, expect, it } from 'vitest';
import { dummy } from '../src/dummy-backend';
import type { PaybridgeEventName } from '../src/events';
import { silentLogger } from '../src/logger';
import { memoryStore } from '../src/memory-store';
import { createPaybridge } from '../src/paybridge';
import { applyFacts } from '../src/status-machine';
import { creationTransition, makePayment } from '../src/testing/fixtures';

const BASE = 'https://shop.example/payments';

function setup() {
  const store = memoryStore();
  const events: Array<{ name: PaybridgeEventName; paymentId: string | undefined }> = [];
  const bridge = createPaybridge({
    baseUrl: BASE,
    backends: [dummy({ signingKey: 'k'.repeat(32), authorizeOnly: true })],
    store,
    logger: silentLogger,
    secret: 's'.repeat(40),
    orders: {
      resolve: (orderId) =>
        orderId === 'order-1'
          ? {
              amount: 1999,
              currency: 'EUR',
              description: 'A book',
              successUrl: 'https://shop.example/thanks',
            }
          : null,
    },
  });
  for (const name of [
    'payment.created',
    'payment.statusChanged',
    'payment.accepted',
    'payment.declined',
    'payment.processed',
    'payment.anomaly',
  ] as const) {
    bridge.on(name, (event) => {
      events.push({ name, paymentId: 'payment' in event ? event.payment?.id : undefined });
    });
  }
  return { bridge, store, events };
}

async function startJson(bridge: ReturnType<typeof setup>['bridge'], body: Record<string, unknown>) {
  return bridge.handler(
    new Request(`${BASE}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

describe('createPaybridge with the dummy backend', () => {
  it('starts a payment, pays it on the hosted page and emits accepted once', async () => {
    const { bridge, events } = setup();
    const started = await startJson(bridge, { backend: 'dummy', orderId: 'order-1' });
    expect(started.status).toBe(200);
    const { payment, redirect } = (await started.json()) as {
      payment: { id: string };
      redirect: { url: string };
    };
    expect(redirect.url).toBe(`${BASE}/backend/dummy/pay/${payment.id}`);

    const page = await bridge.handler(new Request(redirect.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('19.99');

    const paid = await bridge.handler(
      new Request(redirect.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'action=pay',
      }),
    );
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`${BASE}/return/dummy/${payment.id}`);

    const back = await bridge.handler(new Request(paid.headers.get('location') as string));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`https://shop.example/thanks?payment=${payment.id}`);

    const status = await (await bridge.handler(new Request(`${BASE}/status/${payment.id}`))).json();
    expect(status).toMatchObject({
      id: payment.id,
      status: 'paid',
      amount: 1999,
      currency: 'EUR',
      settled: true,
    });
    expect(events.filter((e) => e.name === 'payment.accepted')).toHaveLength(1);
    expect((await bridge.getOrder('order-1')).status).toBe('paid');

    const again = await startJson(bridge, { backend: 'dummy', orderId: 'order-1' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'ORDER_ALREADY_PAID' } });
  });

  it('lets server code choose the return URLs of one payment', async () => {
    const { bridge } = setup();
    const { payment } = await bridge.startPayment({
      backend: 'dummy',
      orderId: 'order-1',
      successUrl: 'https://shop.example/split/next',
      failureUrl: 'https://shop.example/split/failed',
    });
    expect(payment).toMatchObject({
      successUrl: 'https://shop.example/split/next',
      failureUrl: 'https://shop.example/split/failed',
    });
  });

  it('declines, and a forged notification changes nothing', async () => {
    const { bridge, store, events } = setup();
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'order-1' });
    const forged = await bridge.handler(
      new Request(`${BASE}/notify/dummy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-dummy-signature': '00'.repeat(32) },
        body: JSON.stringify({
          paymentId: payment.id,
          action: 'pay',
          eventId: 'x',
          amount: 1999,
          currency: 'EUR',
        }),
      }),
    );
    expect(forged.status).toBe(400);
    expect((await store.getPayment(payment.id))?.status).toBe('new');
    expect(events.some((e) => e.name === 'payment.anomaly')).toBe(true);
    const log = await store.listMessages({ backend: 'dummy' });
    expect(log.items[0]).toMatchObject({ verdict: 'rejected', outcome: 'rejected' });

    await bridge.handler(
      new Request(`${BASE}/backend/dummy/pay/${payment.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'action=decline',
      }),
    );
    expect((await store.getPayment(payment.id))?.status).toBe('failed');
    expect(events.filter((e) => e.name === 'payment.declined')).toHaveLength(1);
  });

  it('delivers events a crash left undelivered exactly once, even with two instances draining', async () => {
    const store = memoryStore();
    let now = new Date('2026-03-01T10:00:00.000Z');
    const payment = makePayment({ backend: 'dummy', createdAt: now.toISOString() });
    await store.createPayment(payment, creationTransition(payment));
    // The instance that committed this capture died before delivering its events.
    await store.applyChange({
      paymentId: payment.id,
      eventIds: ['dummy:crashed'],
      compute: (current) => {
        const result = applyFacts(
          current,
          [{ type: 'captured', eventId: 'crashed', captureId: current.id, amount: 1999, currency: 'EUR' }],
          { now: now.toISOString(), newId: () => 'trn_crashed' },
        );
        return {
          payment: { ...result.payment, version: current.version + 1 },
          transitions: result.transitions,
        };
      },
    });
    const accepted: string[] = [];
    const created: string[] = [];
    const instances = [0, 1].map(() => {
      const bridge = createPaybridge({
        baseUrl: BASE,
        backends: [dummy({ signingKey: 'k'.repeat(32) })],
        store,
        logger: silentLogger,
        orders: { resolve: () => null },
        now: () => now,
        outboxPollSeconds: 0,
      });
      bridge.on('payment.accepted', (event) => {
        accepted.push(event.payment.id);
      });
      bridge.on('payment.created', (event) => {
        created.push(event.payment.id);
      });
      return bridge;
    });
    // Too recent: the writer might still be delivering them.
    expect(await instances[0]?.drainOutbox()).toBe(0);
    now = new Date(now.getTime() + 31_000);
    const delivered = await Promise.all(instances.map((bridge) => bridge.drainOutbox()));
    expect(delivered.reduce((a, b) => a + b, 0)).toBe(2);
    expect(accepted).toEqual([payment.id]);
    expect(created).toEqual([payment.id]);
    now = new Date(now.getTime() + 120_000);
    expect(await instances[1]?.drainOutbox()).toBe(0);
    expect(accepted).toHaveLength(1);
  });
});
