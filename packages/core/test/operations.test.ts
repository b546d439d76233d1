import { describe, expect, it } from 'vitest';
import type { PaybridgeConfig } from '../src/config';
import { dummy } from '../src/dummy-backend';
import { silentLogger } from '../src/logger';
import { memoryStore } from '../src/memory-store';
import { createPaybridge } from '../src/paybridge';
import { applyFacts } from '../src/status-machine';
import type { PaymentStore } from '../src/store';
import { creationTransition, makePayment } from '../src/testing/fixtures';

const BASE = 'https://shop.example/payments';

function bridgeAt(clock: { now: Date }, config: Partial<PaybridgeConfig> = {}) {
  const store: PaymentStore = config.store ?? memoryStore();
  const bridge = createPaybridge({
    baseUrl: BASE,
    backends: [dummy({ signingKey: 'k'.repeat(32), authorizeOnly: true })],
    store,
    logger: silentLogger,
    now: () => clock.now,
    outboxPollSeconds: 0,
    paymentTtlSeconds: 3600,
    orders: { resolve: (id) => ({ amount: 1000, currency: 'EUR', description: `Order ${id}` }) },
    ...config,
  });
  return { bridge, store };
}

/** Press a button on the dummy's hosted page, as the customer would. */
async function press(bridge: ReturnType<typeof bridgeAt>['bridge'], paymentId: string, action: string) {
  const response = await bridge.handler(
    new Request(`${BASE}/backend/dummy/pay/${paymentId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `action=${action}`,
    }),
  );
  expect(response.status).toBe(303);
}

describe('sweepExpired', () => {
  it('expires new and pending payments past expiresAt, once, and leaves the others alone', async () => {
    const clock = { now: new Date('2026-05-01T10:00:00.000Z') };
    const { bridge } = bridgeAt(clock);
    const expiredEvents: string[] = [];
    bridge.on('payment.expired', (event) => {
      expiredEvents.push(event.payment.id);
    });
    const fresh = await bridge.startPayment({ backend: 'dummy', orderId: 'a' });
    const pending = await bridge.startPayment({ backend: 'dummy', orderId: 'b' });
    const authorized = await bridge.startPayment({ backend: 'dummy', orderId: 'c' });
    const paid = await bridge.startPayment({ backend: 'dummy', orderId: 'd' });
    await press(bridge, pending.payment.id, 'pending');
    await press(bridge, authorized.payment.id, 'authorize');
    await press(bridge, paid.payment.id, 'pay');

    expect(await bridge.sweepExpired()).toBe(0);
    clock.now = new Date(clock.now.getTime() + 3600_000 + 1);
    expect(await bridge.sweepExpired()).toBe(2);
    expect(await bridge.sweepExpired()).toBe(0);
    const status = async (id: string) => (await bridge.getPayment(id))?.status;
    expect(await status(fresh.payment.id)).toBe('expired');
    expect(await status(pending.payment.id)).toBe('expired');
    // Funds locked at the broker are never expired by our guess; money is never expired.
    expect(await status(authorized.payment.id)).toBe('authorized');
    expect(await status(paid.payment.id)).toBe('paid');
    expect(expiredEvents.sort()).toEqual([fresh.payment.id, pending.payment.id].sort());

    // The broker's word after our expiry wins: paying an expired payment makes it paid.
    await press(bridge, fresh.payment.id, 'pay');
    expect(await status(fresh.payment.id)).toBe('paid');
  });

  it('is not stalled by a full page of payments it cannot expire', async () => {
    const clock = { now: new Date('2026-05-01T10:00:00.000Z') };
    const store = memoryStore();
    const { bridge } = bridgeAt(clock, { store });
    const due = await bridge.startPayment({ backend: 'dummy', orderId: 'due' });
    // Newer payments of a backend that is no longer configured fill the first pages.
    for (let i = 0; i < 250; i++) {
      const orphan = makePayment({
        backend: 'retired',
        createdAt: new Date(clock.now.getTime() + 1000 + i).toISOString(),
        expiresAt: new Date(clock.now.getTime() + 2000).toISOString(),
      });
      await store.createPayment(orphan, creationTransition(orphan));
    }
    clock.now = new Date(clock.now.getTime() + 7200_000);
    expect(await bridge.sweepExpired()).toBe(1);
    expect((await bridge.getPayment(due.payment.id))?.status).toBe('expired');
  });
});

describe('order view over all of its payments', () => {
  it('is paid once split payments cover the order, and a declined retry does not count', async () => {
    const clock = { now: new Date('2026-05-01T10:00:00.000Z') };
    const { bridge } = bridgeAt(clock);
    const declined = await bridge.startPayment({ backend: 'dummy', orderId: 'split' });
    await press(bridge, declined.payment.id, 'decline');
    expect(await bridge.getOrder('split')).toMatchObject({ status: 'unpaid', outstanding: 1000 });

    const first = await bridge.startPayment({ backend: 'dummy', orderId: 'split', amount: 400 });
    await press(bridge, first.payment.id, 'pay');
    expect(await bridge.getOrder('split')).toMatchObject({
      status: 'partially_paid',
      amount: 1000,
      amountPaid: 400,
      outstanding: 600,
    });
    // The next payment is for what is left, never more.
    await expect(
      bridge.startPayment({ backend: 'dummy', orderId: 'split', amount: 601 }),
    ).rejects.toMatchObject({
      code: 'INVALID_AMOUNT',
    });
    const rest = await bridge.startPayment({ backend: 'dummy', orderId: 'split' });
    expect(rest.payment.amount).toBe(600);
    await press(bridge, rest.payment.id, 'pay');
    const view = await bridge.getOrder('split');
    expect(view).toMatchObject({ status: 'paid', amountPaid: 1000, outstanding: 0 });
    expect(view.payments).toHaveLength(3);
    await expect(bridge.startPayment({ backend: 'dummy', orderId: 'split' })).rejects.toMatchObject({
      code: 'ORDER_ALREADY_PAID',
    });

    await bridge.refund(rest.payment.id);
    expect(await bridge.getOrder('split')).toMatchObject({ status: 'partially_paid', amountRefunded: 600 });
    await bridge.refund(first.payment.id);
    expect(await bridge.getOrder('split')).toMatchObject({ status: 'refunded', amountRefunded: 1000 });
  });

  it('is pending while an attempt waits at the broker', async () => {
    const clock = { now: new Date('2026-05-01T10:00:00.000Z') };
    const { bridge } = bridgeAt(clock);
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'waiting' });
    expect((await bridge.getOrder('waiting')).status).toBe('unpaid');
    await press(bridge, payment.id, 'pending');
    expect((await bridge.getOrder('waiting')).status).toBe('pending');
  });
});

describe('capture, cancel and refund', () => {
  it('captures an authorization, refunds in parts, and refuses more than is refundable', async () => {
    const clock = { now: new Date('2026-05-01T10:00:00.000Z') };
    const { bridge } = bridgeAt(clock);
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'cap' });
    await expect(bridge.capture(payment.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await press(bridge, payment.id, 'authorize');
    // The dummy broker captures the whole amount only.
    await expect(bridge.capture(payment.id, 500)).rejects.toMatchObject({ code: 'CAPABILITY_NOT_SUPPORTED' });
    expect(await bridge.capture(payment.id)).toMatchObject({ status: 'paid', amountPaid: 1000 });
    expect(await bridge.refund(payment.id, { amount: 300 })).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 300,
    });
    await expect(bridge.refund(payment.id, { amount: 701 })).rejects.toMatchObject({
      code: 'INVALID_AMOUNT',
    });
    await expect(bridge.refund(payment.id, { amount: 0 })).rejects.toMatchObject({ code: 'INVALID_AMOUNT' });
    expect(await bridge.refund(payment.id)).toMatchObject({ status: 'refunded', amountRefunded: 1000 });
    await expect(bridge.cancel(payment.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('makes a retried refund with the same idempotency key the same refund', async () => {
    const clock = { now: new Date('2026-05-01T10:00:00.000Z') };
    const inner = dummy({ signingKey: 'k'.repeat(32) });
    const sent: string[] = [];
    const counting = {
      ...inner,
      refund: async (...args: Parameters<NonNullable<typeof inner.refund>>) => {
        sent.push(args[1].refundId);
        return inner.refund(...args);
      },
    };
    const { bridge } = bridgeAt(clock, { backends: [counting] });
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'idem' });
    await press(bridge, payment.id, 'pay');
    await bridge.refund(payment.id, { amount: 300, idempotencyKey: 'return-1' });
    const again = await bridge.refund(payment.id, { amount: 300, idempotencyKey: 'return-1' });
    expect(again).toMatchObject({ amountRefunded: 300, status: 'partially_refunded' });
    expect(sent).toHaveLength(1);
    await bridge.refund(payment.id, { amount: 200, idempotencyKey: 'return-2' });
    expect(sent).toHaveLength(2);
    expect(new Set(sent).size).toBe(2);
    expect((await bridge.getPayment(payment.id))?.amountRefunded).toBe(500);
  });

  it('cancels an authorization (declined, nothing to capture any more)', async () => {
    const clock = { now: new Date('2026-05-01T10:00:00.000Z') };
    const { bridge } = bridgeAt(clock);
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'void' });
    await press(bridge, payment.id, 'authorize');
    expect(await bridge.cancel(payment.id)).toMatchObject({ status: 'failed', amountAuthorized: 0 });
    await expect(bridge.capture(payment.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(bridge.refund(payment.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});

describe('startPayment', () => {
  it('refuses landing URLs that are not absolute http(s) before creating anything', async () => {
    const clock = { now: new Date('2026-05-01T10:00:00.000Z') };
    for (const successUrl of ['javascript:alert(1)', '/relative/thanks', 'not a url']) {
      const store = memoryStore();
      const { bridge } = bridgeAt(clock, {
        store,
        orders: { resolve: () => ({ amount: 100, currency: 'EUR', description: 'x', successUrl }) },
      });
      await expect(bridge.startPayment({ backend: 'dummy', orderId: 'o' })).rejects.toMatchObject({
        code: 'INVALID_CONFIG',
        details: { field: 'successUrl' },
      });
      expect((await store.listPayments({ orderId: 'o' })).items).toEqual([]);
    }
  });

  it('refuses amounts and currencies the order resolver got wrong', async () => {
    const clock = { now: new Date('2026-05-01T10:00:00.000Z') };
    for (const [order, code] of [
      [{ amount: 19.99, currency: 'EUR', description: 'float' }, 'INVALID_AMOUNT'],
      [{ amount: -1, currency: 'EUR', description: 'negative' }, 'INVALID_AMOUNT'],
      [{ amount: 100, currency: 'euro', description: 'bad currency' }, 'UNSUPPORTED_CURRENCY'],
    ] as const) {
      const { bridge } = bridgeAt(clock, { orders: { resolve: () => ({ ...order }) } });
      await expect(bridge.startPayment({ backend: 'dummy', orderId: 'o' })).rejects.toMatchObject({ code });
    }
  });
});

describe('subscriptions and the order', () => {
  it('refuses a second signup while the order has a running subscription, and allows one after it ended', async () => {
    const clock = { now: new Date('2026-05-01T10:00:00.000Z') };
    const inner = dummy({ signingKey: 'k'.repeat(32) });
    const recurring = { ...inner, capabilities: { ...inner.capabilities, recurring: true } };
    const { bridge, store } = bridgeAt(clock, {
      backends: [recurring],
      orders: {
        resolve: () => ({
          amount: 990,
          currency: 'EUR',
          description: 'Monthly',
          recurrence: { interval: 'month', every: 1 },
        }),
      },
    });
    const first = await bridge.startPayment({ backend: 'dummy', orderId: 'sub' });
    // Not paid yet: a retry (another tab) may start.
    const retry = await bridge.startPayment({ backend: 'dummy', orderId: 'sub' });
    await press(bridge, first.payment.id, 'pay');
    await expect(bridge.startPayment({ backend: 'dummy', orderId: 'sub' })).rejects.toMatchObject({
      code: 'ORDER_ALREADY_PAID',
    });
    const tell = (event: 'signup' | 'cancelled') =>
      store.applyChange({
        paymentId: first.payment.id,
        eventIds: [`dummy:sub-${event}`],
        compute: (current) => {
          const result = applyFacts(
            current,
            [{ type: 'subscription', eventId: `sub-${event}`, event, subscriptionId: 'S-1' }],
            { now: clock.now.toISOString(), newId: () => `trn_${event}` },
          );
          return {
            payment: { ...result.payment, version: current.version + 1 },
            transitions: result.transitions,
          };
        },
      });
    await tell('signup');
    await expect(bridge.startPayment({ backend: 'dummy', orderId: 'sub' })).rejects.toMatchObject({
      code: 'ORDER_ALREADY_PAID',
    });
    await tell('cancelled');
    const again = await bridge.startPayment({ backend: 'dummy', orderId: 'sub' });
    expect(again.payment).toMatchObject({ amount: 990, recurrence: { interval: 'month', every: 1 } });
    expect(retry.payment.id).not.toBe(first.payment.id);
  });
});
