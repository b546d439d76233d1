import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Payment } from '../src/types';
import { notification, setup } from './support/pipeline';

type Message = { id: string; status: 'PENDING' | 'FAILED' | 'PAID' | 'REFUNDED'; amount: number };

/** What a broker says about one payment, in its own order: maybe a refused try, pending, paid, a refund. */
const truthArb = fc
  .record({
    refusedFirst: fc.boolean(),
    pending: fc.boolean(),
    paid: fc.boolean(),
    // No refund half of the time, so that "paid" itself is often the end state.
    refund: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1500 })),
  })
  .map((t): Message[] => [
    ...(t.refusedFirst ? [{ id: 'T0', status: 'FAILED' as const, amount: 1500 }] : []),
    ...(t.pending ? [{ id: 'T1', status: 'PENDING' as const, amount: 1500 }] : []),
    ...(t.paid ? [{ id: 'T1', status: 'PAID' as const, amount: 1500 }] : []),
    ...(t.paid && t.refund > 0 ? [{ id: 'T1', status: 'REFUNDED' as const, amount: t.refund }] : []),
  ]);

/** Each message 1–3 times, in any order, some of them at the same moment. */
const deliveryArb = truthArb.chain((truth) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: truth.length, maxLength: truth.length }),
      fc.array(fc.integer(), { minLength: truth.length * 3, maxLength: truth.length * 3 }),
      fc.boolean(),
    )
    .map(([copies, keys, concurrent]) => {
      const all = truth.flatMap((m, i) => Array.from({ length: copies[i] ?? 1 }, () => m));
      const keyed = all.map((m, i) => ({ m, key: keys[i] ?? 0 })).sort((a, b) => a.key - b.key);
      return { truth, delivered: keyed.map((k) => k.m), concurrent };
    }),
);

const summary = (p: Payment | null) => ({
  status: p?.status,
  amountPaid: p?.amountPaid,
  amountRefunded: p?.amountRefunded,
  captures: p?.captures.map((c) => `${c.id}:${c.amount}`).sort(),
  refunds: p?.refunds.map((r) => `${r.id}:${r.amount}:${r.status}`).sort(),
});

async function deliver(messages: readonly Message[], concurrent = false) {
  const { bridge, store, events } = setup();
  const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-prop' });
  const send = async (m: Message) => {
    const response = await bridge.handler(
      await notification({ paymentId: payment.id, currency: 'EUR', ...m }),
    );
    expect(response.status).toBe(200);
  };
  if (concurrent) await Promise.all(messages.map(send));
  else for (const m of messages) await send(m);
  return {
    final: await store.getPayment(payment.id),
    accepted: events.filter((e) => e === 'payment.accepted').length,
    captureTransitions: (await store.listTransitions(payment.id)).filter((t) => t.cause === 'captured')
      .length,
  };
}

describe('notification pipeline: properties (fast-check, through the handler and the store)', () => {
  it('duplicated, reordered and concurrent deliveries end as the in-order delivery, applying each fact once', async () => {
    await fc.assert(
      fc.asyncProperty(deliveryArb, async ({ truth, delivered, concurrent }) => {
        const inOrder = await deliver(truth);
        const chaotic = await deliver(delivered, concurrent);
        expect(summary(chaotic.final)).toEqual(summary(inOrder.final));
        const paid = truth.some((m) => m.status === 'PAID');
        expect(chaotic.accepted).toBe(paid ? 1 : 0);
        expect(chaotic.captureTransitions).toBe(paid ? 1 : 0);
      }),
      { numRuns: 60 },
    );
  });
});
