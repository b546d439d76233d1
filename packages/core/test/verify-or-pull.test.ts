import { describe, expect, it } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import type { PaymentFact } from '../src/types';
import { BASE, fakeBroker, notification, setup } from './support/pipeline';

/**
 * The fake broker, whose refusals name the payment the (unverified) body claims, as a backend that
 * can read its reference before the signature does; its status API answers `answers`.
 */
function broker() {
  const pulls: string[] = [];
  const answers = new Map<string, PaymentFact[]>();
  const inner = fakeBroker({
    pull: (paymentId) => {
      pulls.push(paymentId);
      return answers.get(paymentId) ?? [];
    },
  });
  const backend: PaymentBackend = {
    ...inner,
    async handleNotification(message, ctx) {
      const outcome = await inner.handleNotification(message, ctx);
      if (outcome.verdict !== 'rejected') return outcome;
      const claimed = (JSON.parse(new TextDecoder().decode(message.body)) as { paymentId?: string })
        .paymentId;
      return claimed ? { ...outcome, paymentId: claimed } : outcome;
    },
    handleReturn: async () => ({ hint: 'unknown', pull: true }),
  };
  return { backend, pulls, answers };
}

function clock() {
  let t = Date.UTC(2026, 11, 6, 12);
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

const paidFact = (paymentId: string): PaymentFact[] => [
  {
    type: 'captured',
    eventId: `tx-${paymentId}:PAID`,
    captureId: `tx-${paymentId}`,
    amount: 1500,
    currency: 'EUR',
  },
];
const claim = (paymentId: string, n: number) =>
  notification({ paymentId, id: `forged-${n}`, status: 'PAID', amount: 1500, currency: 'EUR' }, false);

describe('verify-or-pull: an unverifiable notification naming a known payment', () => {
  it('a flood of 100 forged notifications changes nothing and costs at most one pull per window', async () => {
    const b = broker();
    const time = clock();
    const { bridge, events } = setup({ backend: b.backend, config: { now: time.now } });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-1' });
    const answers = await Promise.all(
      Array.from({ length: 100 }, async (_, n) => (await bridge.handler(await claim(payment.id, n))).status),
    );
    expect(new Set(answers)).toEqual(new Set([400]));
    expect(b.pulls).toEqual([payment.id]);
    expect((await bridge.getPayment(payment.id))?.status).toBe('new');
    expect(events).not.toContain('payment.accepted');
    // Every forged message is on record as rejected.
    const log = await bridge.store.listMessages({ paymentId: payment.id, limit: 500 });
    expect(log.items.filter((m) => m.verdict === 'rejected')).toHaveLength(100);

    // The next window allows the next pull, and only one.
    time.advance(29_000);
    await bridge.handler(await claim(payment.id, 100));
    expect(b.pulls).toHaveLength(1);
    time.advance(1_000);
    for (let n = 101; n < 111; n++) await bridge.handler(await claim(payment.id, n));
    expect(b.pulls).toHaveLength(2);
  });

  it('a genuine notification refused by a rotated key is recovered by the pull, once', async () => {
    const b = broker();
    const { bridge, events } = setup({ backend: b.backend });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-1' });
    b.answers.set(payment.id, paidFact(payment.id));
    const response = await bridge.handler(await claim(payment.id, 1));
    // Answered as today: refused, so that the broker keeps its retries.
    expect(response.status).toBe(400);
    expect(await bridge.getPayment(payment.id)).toMatchObject({ status: 'paid', amountPaid: 1500 });
    expect(events.filter((e) => e === 'payment.accepted')).toHaveLength(1);
    // The paid payment is settled: further refused notifications pull no more.
    await bridge.handler(await claim(payment.id, 2));
    expect(b.pulls).toEqual([payment.id]);
  });

  it("shares the return route's per-payment limit, and never pulls an unknown or another backend's payment", async () => {
    const b = broker();
    const { bridge } = setup({ backend: b.backend });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-1' });
    const back = await bridge.handler(new Request(`${BASE}/return/fake/${payment.id}`));
    expect(back.status).toBeLessThan(400);
    expect(b.pulls).toEqual([payment.id]);
    await bridge.handler(await claim(payment.id, 1));
    expect(b.pulls).toEqual([payment.id]);

    expect((await bridge.handler(await claim('pay_unknown', 2))).status).toBe(400);
    expect(b.pulls).toEqual([payment.id]);
  });

  it('a settled payment is pulled only while a refund of it is open (the refused message may be its outcome)', async () => {
    const b = broker();
    const backend: PaymentBackend = {
      ...b.backend,
      capabilities: { ...b.backend.capabilities, refund: true, partialRefund: true },
      async refund(payment, request) {
        const { refundId, amount } = request;
        const eventId = `rf-${refundId}:PENDING`;
        return { facts: [{ type: 'refund_pending', eventId, refundId, amount, currency: payment.currency }] };
      },
    };
    const time = clock();
    const { bridge, events } = setup({ backend, config: { now: time.now } });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-1' });
    b.answers.set(payment.id, paidFact(payment.id));
    await bridge.handler(await claim(payment.id, 1));
    expect(await bridge.getPayment(payment.id)).toMatchObject({ status: 'paid' });
    time.advance(60_000);
    // Paid, nothing open: a refused message about it asks the broker nothing.
    await bridge.handler(await claim(payment.id, 2));
    expect(b.pulls).toEqual([payment.id]);

    const refunding = await bridge.refund(payment.id, { amount: 500 });
    const refundId = refunding.refunds[0]?.id as string;
    b.answers.set(payment.id, [
      ...paidFact(payment.id),
      { type: 'refunded', eventId: `rf-${refundId}:DONE`, refundId, amount: 500, currency: 'EUR' },
    ]);
    time.advance(60_000);
    // The broker's refund notification, refused by a key rotated before ours: the pull settles the refund.
    expect((await bridge.handler(await claim(payment.id, 3))).status).toBe(400);
    expect(b.pulls).toEqual([payment.id, payment.id]);
    expect(await bridge.getPayment(payment.id)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 500,
    });
    expect(events.filter((e) => e === 'refund.succeeded')).toHaveLength(1);
    time.advance(60_000);
    await bridge.handler(await claim(payment.id, 4));
    expect(b.pulls).toEqual([payment.id, payment.id]);
  });

  it('a backend without pull: refused as before, nothing else happens', async () => {
    const inner = fakeBroker();
    const backend: PaymentBackend = {
      ...inner,
      async handleNotification(message, ctx) {
        const outcome = await inner.handleNotification(message, ctx);
        return outcome.verdict === 'rejected' ? { ...outcome, paymentId: 'whatever' } : outcome;
      },
    };
    const { bridge } = setup({ backend });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-1' });
    expect((await bridge.handler(await claim(payment.id, 1))).status).toBe(400);
    expect((await bridge.getPayment(payment.id))?.status).toBe('new');
  });
});
