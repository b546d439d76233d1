import type { Payment } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { stripeEvent } from './support/fake-stripe';
import { bridgeWithFake } from './support/harness';

/** What must not depend on delivery order: status, totals, and both ledgers. */
const endState = (p: Payment) => ({
  status: p.status,
  amountPaid: p.amountPaid,
  amountRefunded: p.amountRefunded,
  captures: p.captures.map((c) => [c.id, c.amount, c.status]).sort(),
  refunds: p.refunds.map((r) => [r.id, r.kind, r.amount, r.status]).sort(),
});

/** A paid payment with a Dashboard refund (pending → succeeded) and a dispute that is won. */
async function scenario() {
  const t = bridgeWithFake();
  const { paymentId, sessionId } = await t.start();
  const { session, intent } = t.fake.pay(sessionId);
  const refund = t.fake.put({
    id: 're_test_dashboard',
    object: 'refund',
    amount: 500,
    currency: 'eur',
    status: 'pending',
    payment_intent: intent?.id,
    charge: 'ch_test_1',
    metadata: {},
  });
  const dispute = {
    id: 'dp_test_1',
    object: 'dispute',
    amount: 1499,
    currency: 'eur',
    status: 'needs_response',
    payment_intent: intent?.id,
    charge: 'ch_test_1',
  };
  const events = [
    stripeEvent('checkout.session.completed', session),
    stripeEvent('payment_intent.succeeded', intent),
    stripeEvent('refund.created', refund),
    stripeEvent('refund.updated', { ...refund, status: 'succeeded' }),
    stripeEvent('charge.refunded', {
      id: 'ch_test_1',
      object: 'charge',
      payment_intent: intent?.id,
      metadata: {},
    }),
    stripeEvent('charge.dispute.created', dispute),
    stripeEvent('charge.dispute.funds_reinstated', { ...dispute, status: 'under_review' }),
    stripeEvent('charge.dispute.closed', { ...dispute, status: 'won' }),
  ];
  refund.status = 'succeeded';
  return { t, paymentId, events };
}

/** Deterministic shuffles (a small LCG), so a failure names its permutation. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('webhooks: money events in any order, duplicated', () => {
  it('gives the same end state for 40 delivery orders with duplicates, every answer 2xx', async () => {
    const reference = await scenario();
    for (const event of reference.events) expect((await reference.t.deliver(event)).status).toBe(200);
    const expected = endState(await reference.t.get(reference.paymentId));
    expect(expected).toMatchObject({ status: 'partially_refunded', amountPaid: 1999, amountRefunded: 500 });
    expect(expected.refunds).toEqual([
      ['dp_test_1', 'reversal', 1499, 'succeeded'],
      ['dp_test_1:reinstated', 'reversal_cancel', 1499, 'succeeded'],
      ['re_test_dashboard', 'refund', 500, 'succeeded'],
    ]);

    for (let seed = 1; seed <= 40; seed++) {
      const run = await scenario();
      const order = shuffled([...run.events, ...run.events.slice(0, seed % 8)], seed);
      for (const event of order) expect((await run.t.deliver(event)).status).toBe(200);
      expect({ seed, ...endState(await run.t.get(run.paymentId)) }).toEqual({ seed, ...expected });
    }
  });

  it('a refund that fails after succeeding gives the money back, whatever order the states arrive in', async () => {
    for (const order of [
      ['created', 'failed'],
      ['failed', 'created'],
      ['created', 'failed', 'created'],
    ]) {
      const t = bridgeWithFake();
      const { paymentId, sessionId } = await t.start();
      const { session, intent } = t.fake.pay(sessionId);
      await t.deliver(stripeEvent('checkout.session.completed', session));
      const refund = t.fake.put({
        id: 're_test_async',
        object: 'refund',
        amount: 1999,
        currency: 'eur',
        status: 'succeeded',
        payment_intent: intent?.id,
        metadata: {},
      });
      const created = stripeEvent('refund.created', { ...refund });
      const failed = stripeEvent('refund.failed', {
        ...refund,
        status: 'failed',
        failure_reason: 'expired_or_canceled_card',
      });
      let sawSuccess = false;
      for (const step of order) {
        if (step === 'created' && !sawSuccess) {
          await t.deliver(created);
          sawSuccess = true;
          if (order[0] === 'created') expect((await t.get(paymentId)).status).toBe('refunded');
        } else {
          Object.assign(refund, { status: 'failed', failure_reason: 'expired_or_canceled_card' });
          await t.deliver(step === 'created' ? created : failed);
        }
      }
      const after = await t.get(paymentId);
      expect({ order, status: after.status, refunded: after.amountRefunded }).toEqual({
        order,
        status: 'paid',
        refunded: 0,
      });
    }
  });

  it('a lost dispute keeps the money with the cardholder; an inquiry moves none', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    const { session, intent } = t.fake.pay(sessionId);
    await t.deliver(stripeEvent('checkout.session.completed', session));
    const inquiry = {
      id: 'du_test_1',
      object: 'dispute',
      amount: 1999,
      currency: 'eur',
      payment_intent: intent?.id,
    };
    await t.deliver(stripeEvent('charge.dispute.created', { ...inquiry, status: 'warning_needs_response' }));
    expect((await t.get(paymentId)).amountRefunded).toBe(0);
    const dispute = { ...inquiry, id: 'dp_test_2', status: 'lost' };
    await t.deliver(stripeEvent('charge.dispute.closed', dispute));
    await t.deliver(stripeEvent('charge.dispute.funds_withdrawn', { ...dispute, status: 'needs_response' }));
    expect(await t.get(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
  });

  it('a refund of another intent naming the payment is not applied: the payment is pulled instead', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    const { session } = t.fake.pay(sessionId);
    await t.deliver(stripeEvent('checkout.session.completed', session));
    const refund = {
      id: 're_test_other',
      object: 'refund',
      amount: 1999,
      currency: 'eur',
      status: 'succeeded',
      payment_intent: 'pi_test_other',
      metadata: { paybridge_payment_id: paymentId },
    };
    t.fake.put({ ...refund });
    t.fake.put({
      id: 'pi_test_other',
      object: 'payment_intent',
      status: 'succeeded',
      amount: 1999,
      amount_received: 1999,
      currency: 'eur',
      metadata: { paybridge_payment_id: paymentId },
    });
    expect((await t.deliver(stripeEvent('refund.created', refund))).status).toBe(200);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
  });

  it('a refund of another intent naming one of our refunds settles or fails nothing of ours', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    const { session } = t.fake.pay(sessionId);
    await t.deliver(stripeEvent('checkout.session.completed', session));
    t.fake.setRefundStatus('pending');
    const ours = (await t.bridge.refund(paymentId, { amount: 700 })).refunds[0];
    expect(ours).toMatchObject({ status: 'pending', amount: 700 });
    // Someone able to create refunds (a remote-mode seller sees our metadata) copies it onto their intent.
    t.fake.put({
      id: 'pi_test_foreign',
      object: 'payment_intent',
      status: 'succeeded',
      amount: 700,
      amount_received: 700,
      currency: 'eur',
      metadata: {},
    });
    for (const status of ['canceled', 'succeeded']) {
      const foreign = t.fake.put({
        id: `re_test_foreign_${status}`,
        object: 'refund',
        amount: 700,
        currency: 'eur',
        status,
        payment_intent: 'pi_test_foreign',
        metadata: { paybridge_payment_id: paymentId, paybridge_refund_id: ours?.id as string },
      });
      expect((await t.deliver(stripeEvent('refund.updated', foreign))).status).toBe(200);
      const payment = await t.get(paymentId);
      expect({ status, refunds: payment.refunds.map((r) => [r.id, r.status]) }).toEqual({
        status,
        refunds: [[ours?.id, 'pending']],
      });
      expect(payment).toMatchObject({ status: 'paid', amountRefunded: 0 });
    }
  });
});
