import { describe, expect, it } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import { dummy } from '../src/dummy-backend';
import { PaybridgeError } from '../src/errors';
import { silentLogger } from '../src/logger';
import { memoryStore } from '../src/memory-store';
import { createPaybridge } from '../src/paybridge';

const BASE = 'https://shop.example/payments';

/** The dummy broker, with a refund endpoint whose next answers the test chooses. */
function brokerWith(failures: Array<'lost' | 'refused'>) {
  const inner = dummy({ signingKey: 'k'.repeat(32) });
  const sent: Array<{ refundId: string; amount: number }> = [];
  const backend = {
    ...inner,
    refund: async (...args: Parameters<NonNullable<typeof inner.refund>>) => {
      sent.push({ refundId: args[1].refundId, amount: args[1].amount });
      const failure = failures.shift();
      if (failure === 'refused') throw new PaybridgeError('BROKER_ERROR', 'the broker refused the refund');
      const result = await inner.refund(...args);
      // The broker did the refund, but its answer never reached us.
      if (failure === 'lost') throw new PaybridgeError('BROKER_UNAVAILABLE', 'timed out after 10000 ms');
      return result;
    },
  } satisfies PaymentBackend;
  return { backend, sent };
}

async function paidPayment(backend: PaymentBackend) {
  const bridge = createPaybridge({
    baseUrl: BASE,
    backends: [backend],
    store: memoryStore(),
    logger: silentLogger,
    outboxPollSeconds: 0,
    orders: { resolve: (id) => ({ amount: 1000, currency: 'EUR', description: `Order ${id}` }) },
  });
  const events: string[] = [];
  bridge.on('refund.pending', () => void events.push('pending'));
  bridge.on('refund.succeeded', () => void events.push('succeeded'));
  bridge.on('refund.failed', () => void events.push('failed'));
  const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'o-1' });
  const response = await bridge.handler(
    new Request(`${BASE}/backend/dummy/pay/${payment.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=pay',
    }),
  );
  expect(response.status).toBe(303);
  return { bridge, paymentId: payment.id, events };
}

describe('refunds under retries', () => {
  it('never refunds twice when the broker did the refund but its answer was lost', async () => {
    const { backend, sent } = brokerWith(['lost']);
    const { bridge, paymentId } = await paidPayment(backend);
    await expect(bridge.refund(paymentId, { idempotencyKey: 'rma-7' })).rejects.toMatchObject({
      code: 'BROKER_UNAVAILABLE',
    });
    // The money is spoken for: a retry without the key cannot refund it again.
    const reserved = await bridge.getPayment(paymentId);
    expect(reserved?.refunds).toMatchObject([{ status: 'pending', amount: 1000 }]);
    await expect(bridge.refund(paymentId)).rejects.toMatchObject({ code: 'INVALID_AMOUNT' });
    // The same key sends the same refund again (same id: the broker's idempotency key).
    const done = await bridge.refund(paymentId, { idempotencyKey: 'rma-7' });
    expect(done).toMatchObject({ status: 'refunded', amountRefunded: 1000 });
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    // And once the broker confirmed it, the key answers from the record.
    await bridge.refund(paymentId, { idempotencyKey: 'rma-7' });
    expect(sent).toHaveLength(2);
  });

  it('lets only one of two simultaneous full refunds reach the broker', async () => {
    const { backend, sent } = brokerWith([]);
    const { bridge, paymentId } = await paidPayment(backend);
    const outcomes = await Promise.allSettled([bridge.refund(paymentId), bridge.refund(paymentId)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'INVALID_AMOUNT' });
    expect(sent).toHaveLength(1);
    expect((await bridge.getPayment(paymentId))?.amountRefunded).toBe(1000);
  });

  it('releases the reserved amount when the broker refuses the refund', async () => {
    const { backend, sent } = brokerWith(['refused']);
    const { bridge, paymentId, events } = await paidPayment(backend);
    await expect(bridge.refund(paymentId, { amount: 400 })).rejects.toMatchObject({ code: 'BROKER_ERROR' });
    const after = await bridge.getPayment(paymentId);
    expect(after).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect(after?.refunds).toMatchObject([{ status: 'failed' }]);
    expect(events).toEqual(['pending', 'failed']);
    // Nothing was refunded, so all of it can be refunded now.
    expect(await bridge.refund(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 1000 });
    expect(sent.map((s) => s.amount)).toEqual([400, 1000]);
  });
});
