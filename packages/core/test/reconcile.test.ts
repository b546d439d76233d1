import { describe, expect, it } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import { dummy } from '../src/dummy-backend';
import { PaybridgeError } from '../src/errors';
import { memoryStore } from '../src/memory-store';
import type { PaymentFact } from '../src/types';
import { fakeBroker, setup } from './support/pipeline';

const MINUTE = 60_000;

/** What the fake broker knows: per payment id, the facts its status API answers (or a failure). */
function brokerState() {
  const answers = new Map<string, PaymentFact[] | Error>();
  const calls: string[] = [];
  const paid = (paymentId: string): PaymentFact[] => [
    {
      type: 'captured',
      eventId: `ord-${paymentId}:PAID`,
      captureId: `ord-${paymentId}`,
      amount: 1500,
      currency: 'EUR',
    },
  ];
  const backend: PaymentBackend = {
    ...fakeBroker({
      pull: async (paymentId) => {
        calls.push(paymentId);
        // Let two concurrent passes interleave between their pulls and their writes.
        await new Promise((resolve) => setTimeout(resolve, 1));
        const answer = answers.get(paymentId) ?? [];
        if (answer instanceof Error) throw answer;
        return answer;
      },
    }),
    // The broker's order id is known from `prepare` (as PayU's orderId): the payment is pullable.
    async prepare(payment) {
      return {
        redirect: { method: 'GET', url: `https://broker.example/pay/${payment.id}` },
        externalId: `ord-${payment.id}`,
      };
    },
  };
  return { backend, answers, calls, paid };
}

function clock(start = Date.UTC(2026, 11, 6, 12)) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('bridge.reconcile', () => {
  it('applies a payment the broker reports paid whose notification never came, once', async () => {
    const broker = brokerState();
    const time = clock();
    const { bridge, events } = setup({ backend: broker.backend, config: { now: time.now } });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-1' });
    const { payment: other } = await bridge.startPayment({ backend: 'fake', orderId: 'order-2' });
    broker.answers.set(payment.id, broker.paid(payment.id));
    time.advance(10 * MINUTE);

    const result = await bridge.reconcile();
    expect(result).toEqual({
      pulled: 2,
      refundsPulled: 0,
      changed: 1,
      unchanged: 1,
      failed: [],
      skippedNotPullable: 0,
      incomplete: false,
    });
    expect((await bridge.getPayment(payment.id))?.status).toBe('paid');
    expect((await bridge.getPayment(other.id))?.status).toBe('new');
    expect(events.filter((e) => e === 'payment.accepted')).toHaveLength(1);

    // A second pass: the paid one is no longer open, the other is asked again and stays as it is.
    broker.calls.length = 0;
    expect(await bridge.reconcile()).toMatchObject({ pulled: 1, changed: 0, unchanged: 1 });
    expect(broker.calls).toEqual([other.id]);
    expect(events.filter((e) => e === 'payment.accepted')).toHaveLength(1);
  });

  it('two passes at once on one store (two instances) apply and announce each change once', async () => {
    const broker = brokerState();
    const time = clock();
    const store = memoryStore();
    const a = setup({ store, backend: broker.backend, config: { now: time.now } });
    const b = setup({ store, backend: broker.backend, config: { now: time.now } });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { payment } = await a.bridge.startPayment({ backend: 'fake', orderId: `order-${i}` });
      ids.push(payment.id);
      if (i % 2 === 0) broker.answers.set(payment.id, broker.paid(payment.id));
    }
    time.advance(10 * MINUTE);
    const [first, second] = await Promise.all([a.bridge.reconcile(), b.bridge.reconcile()]);
    // Both passes asked the broker; the ten changes were applied by one pass or the other, never both.
    expect(first.changed + second.changed).toBe(10);
    expect(first.pulled + second.pulled).toBeGreaterThanOrEqual(20);
    const accepted = [...a.events, ...b.events].filter((e) => e === 'payment.accepted');
    expect(accepted).toHaveLength(10);
    const statuses = await Promise.all(ids.map(async (id) => (await store.getPayment(id))?.status));
    expect(statuses.filter((s) => s === 'paid')).toHaveLength(10);
    for (const id of ids.filter((_, i) => i % 2 === 0)) {
      const paidTransitions = (await store.listTransitions(id)).filter((t) => t.to === 'paid');
      expect(paidTransitions).toHaveLength(1);
    }
  });

  it('counts failures with their reason, skips what cannot be pulled, and leaves fresh payments alone', async () => {
    const broker = brokerState();
    const time = clock();
    const { bridge } = setup({
      backend: broker.backend,
      config: { now: time.now, backends: [broker.backend, dummy()] },
    });
    const { payment: down } = await bridge.startPayment({ backend: 'fake', orderId: 'order-down' });
    broker.answers.set(down.id, new PaybridgeError('BROKER_UNAVAILABLE', 'status API answered 503'));
    const { payment: local } = await bridge.startPayment({ backend: 'dummy', orderId: 'order-local' });
    time.advance(10 * MINUTE);
    const { payment: fresh } = await bridge.startPayment({ backend: 'fake', orderId: 'order-fresh' });

    const result = await bridge.reconcile({ olderThan: 60 });
    expect(result).toEqual({
      pulled: 0,
      refundsPulled: 0,
      changed: 0,
      unchanged: 0,
      failed: [
        {
          paymentId: down.id,
          backend: 'fake',
          code: 'BROKER_UNAVAILABLE',
          message: 'status API answered 503',
        },
      ],
      skippedNotPullable: 1,
      incomplete: false,
    });
    expect(broker.calls).not.toContain(fresh.id);
    expect((await bridge.getPayment(local.id))?.status).toBe('new');
    // olderThan 0 takes the fresh one too.
    expect(await bridge.reconcile({ olderThan: 0 })).toMatchObject({ pulled: 1, skippedNotPullable: 1 });
  });

  it("skips a payment its backend's canPull says the broker cannot be asked about", async () => {
    const broker = brokerState();
    const backend: PaymentBackend = {
      ...broker.backend,
      canPull: (payment) => payment.orderId !== 'order-no-ref',
    };
    const { bridge } = setup({ backend });
    const { payment: bare } = await bridge.startPayment({ backend: 'fake', orderId: 'order-no-ref' });
    const { payment: known } = await bridge.startPayment({ backend: 'fake', orderId: 'order-ref' });
    expect(await bridge.reconcile({ olderThan: 0 })).toMatchObject({ pulled: 1, skippedNotPullable: 1 });
    expect(broker.calls).toEqual([known.id]);
    expect(broker.calls).not.toContain(bare.id);
  });

  it('stops at limit and on an aborted signal, and refuses options it cannot honour', async () => {
    const broker = brokerState();
    const time = clock();
    const { bridge } = setup({ backend: broker.backend, config: { now: time.now } });
    for (let i = 0; i < 3; i++) await bridge.startPayment({ backend: 'fake', orderId: `order-${i}` });
    time.advance(10 * MINUTE);
    expect(await bridge.reconcile({ limit: 2 })).toMatchObject({ pulled: 2, incomplete: true });
    const controller = new AbortController();
    controller.abort();
    expect(await bridge.reconcile({ signal: controller.signal })).toMatchObject({
      pulled: 0,
      incomplete: true,
    });
    expect(await bridge.reconcile({ statuses: ['pending'] })).toMatchObject({ pulled: 0, incomplete: false });
    await expect(bridge.reconcile({ olderThan: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(bridge.reconcile({ limit: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(bridge.reconcile({ statuses: ['paid' as 'new'] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('sweepExpired asks the broker first', () => {
  it('a payment the broker reports paid becomes paid, never expired; an unreachable broker defers', async () => {
    const broker = brokerState();
    const time = clock();
    const { bridge, events } = setup({
      backend: broker.backend,
      config: { now: time.now, paymentTtlSeconds: 3600 },
    });
    const { payment: paid } = await bridge.startPayment({ backend: 'fake', orderId: 'order-paid' });
    const { payment: abandoned } = await bridge.startPayment({ backend: 'fake', orderId: 'order-gone' });
    const { payment: unknown } = await bridge.startPayment({ backend: 'fake', orderId: 'order-unknown' });
    broker.answers.set(paid.id, broker.paid(paid.id));
    broker.answers.set(unknown.id, new PaybridgeError('BROKER_UNAVAILABLE', 'timeout'));
    time.advance(2 * 3600_000);

    expect(await bridge.sweepExpired()).toBe(1);
    expect((await bridge.getPayment(paid.id))?.status).toBe('paid');
    expect((await bridge.getPayment(abandoned.id))?.status).toBe('expired');
    expect((await bridge.getPayment(unknown.id))?.status).toBe('new');
    expect(events.filter((e) => e === 'payment.accepted')).toHaveLength(1);

    // The broker answers again: the next sweep asks it, then expires.
    broker.answers.delete(unknown.id);
    expect(await bridge.sweepExpired()).toBe(1);
    expect((await bridge.getPayment(unknown.id))?.status).toBe('expired');
  });
});
