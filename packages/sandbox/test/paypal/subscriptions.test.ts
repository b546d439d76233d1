import { describe, expect, it } from 'vitest';
import { addTerm, termOfCycle } from '../../src/paypal/subscriptions';
import { fieldsOf, openCheckout, postback, SUBSCRIBE, setup } from '../../src/paypal/test-kit';

const DAY = 24 * 3600_000;

async function subscribed(vars: Record<string, string> = SUBSCRIBE, action: 'pay' | 'pending' = 'pay') {
  const kit = setup();
  const { sessionId } = await openCheckout(kit.sandbox, vars);
  const step = await kit.sandbox.paypal.act(sessionId, action);
  await kit.sandbox.flush();
  const subscrId = kit.sandbox.paypal.subscriptions()[0]?.subscrId ?? '';
  const ipns = () => kit.received.map((call) => fieldsOf(call.text));
  return { ...kit, step, subscrId, ipns };
}

describe('PayPal subscriptions', () => {
  it('signup then the first subscr_payment, linked by subscr_id', async () => {
    const kit = await subscribed();
    expect(kit.subscrId).toMatch(/^I-[0-9A-Z]{12}$/);
    const [signup, payment] = kit.ipns();
    expect(signup).toMatchObject({
      txn_type: 'subscr_signup',
      subscr_id: kit.subscrId,
      period3: '1 M',
      mc_amount3: '9.99',
      recurring: '1',
      reattempt: '1',
      invoice: 'SUB-1',
      custom: 'pay_sub',
      receiver_email: 'merchant@example.com',
    });
    expect(signup).not.toHaveProperty('txn_id');
    expect(signup).not.toHaveProperty('payment_status');
    expect(payment).toMatchObject({
      txn_type: 'subscr_payment',
      subscr_id: kit.subscrId,
      payment_status: 'Completed',
      mc_gross: '9.99',
      receiver_id: 'MERCHANT12345',
    });
    expect(kit.step.method).toBe('GET');
    for (const call of kit.received) {
      expect((await postback(kit.sandbox, `cmd=_notify-validate&${call.text}`)).text).toBe('VERIFIED');
    }
  });

  it('a payment per month as the clock advances; cancel then end of term', async () => {
    const kit = await subscribed();
    await kit.sandbox.advance(31 * DAY); // Jan 15 → Feb 15
    await kit.sandbox.advance(28 * DAY); // → Mar 15
    const payments = kit.ipns().filter((f) => f.txn_type === 'subscr_payment');
    expect(payments).toHaveLength(3);
    expect(new Set(payments.map((f) => f.txn_id)).size).toBe(3);
    kit.sandbox.paypal.cancelSubscription(kit.subscrId);
    await kit.sandbox.flush();
    expect(kit.ipns().at(-1)).toMatchObject({ txn_type: 'subscr_cancel', subscr_id: kit.subscrId });
    await kit.sandbox.advance(30 * DAY); // paid-up term ends Apr 15
    await kit.sandbox.advance(60 * DAY);
    const tail = kit
      .ipns()
      .slice(4)
      .map((f) => f.txn_type);
    expect(tail).toEqual(['subscr_cancel', 'subscr_eot']);
    expect(kit.sandbox.paypal.subscriptions()[0]?.status).toBe('ended');
    expect(kit.sandbox.paypal.transactions().filter((t) => t.subscrId === kit.subscrId)).toHaveLength(3);
  });

  it('advancing past several periods at once sends each payment', async () => {
    const kit = await subscribed();
    await kit.sandbox.advance(95 * DAY);
    expect(kit.ipns().filter((f) => f.txn_type === 'subscr_payment')).toHaveLength(4);
  });

  it('srt payments then subscr_eot; src=0 is one regular cycle', async () => {
    const limited = await subscribed({ ...SUBSCRIBE, srt: '2' });
    await limited.sandbox.advance(200 * DAY);
    expect(limited.ipns().map((f) => f.txn_type)).toEqual([
      'subscr_signup',
      'subscr_payment',
      'subscr_payment',
      'subscr_eot',
    ]);
    const once = await subscribed({ ...SUBSCRIBE, src: '0' });
    await once.sandbox.advance(200 * DAY);
    expect(once.ipns().map((f) => f.txn_type)).toEqual(['subscr_signup', 'subscr_payment', 'subscr_eot']);
  });

  it('a free trial charges nothing at signup, then the regular price', async () => {
    const kit = await subscribed({ ...SUBSCRIBE, a1: '0', p1: '14', t1: 'D' });
    expect(kit.ipns().map((f) => f.txn_type)).toEqual(['subscr_signup']);
    expect(kit.ipns()[0]).toMatchObject({ period1: '14 D', mc_amount1: '0.00' });
    await kit.sandbox.advance(14 * DAY);
    expect(kit.ipns().map((f) => [f.txn_type, f.mc_gross])).toEqual([
      ['subscr_signup', undefined],
      ['subscr_payment', '9.99'],
    ]);
  });

  it('a pending first payment completes later on the same txn_id', async () => {
    const kit = await subscribed(SUBSCRIBE, 'pending');
    const txnId = kit.ipns()[1]?.txn_id ?? '';
    kit.sandbox.paypal.completePending(txnId);
    await kit.sandbox.flush();
    expect(kit.ipns().map((f) => [f.txn_type, f.payment_status, f.txn_id])).toEqual([
      ['subscr_signup', undefined, undefined],
      ['subscr_payment', 'Pending', txnId],
      ['subscr_payment', 'Completed', txnId],
    ]);
  });

  it('failed charges: subscr_failed with retry_at, the third in a row cancels', async () => {
    const kit = await subscribed();
    kit.sandbox.paypal.failSubscriptionPayment(kit.subscrId);
    kit.sandbox.paypal.failSubscriptionPayment(kit.subscrId);
    kit.sandbox.paypal.failSubscriptionPayment(kit.subscrId);
    await kit.sandbox.flush();
    const tail = kit.ipns().slice(2);
    expect(tail.map((f) => f.txn_type)).toEqual([
      'subscr_failed',
      'subscr_failed',
      'subscr_failed',
      'subscr_cancel',
      'subscr_eot',
    ]);
    expect(tail[0]?.retry_at).toMatch(/P[SD]T$/);
    expect(tail[2]).not.toHaveProperty('retry_at');
    expect(() => kit.sandbox.paypal.failSubscriptionPayment(kit.subscrId)).toThrow(/ended/);
  });

  it('refunding a subscription payment carries subscr_id', async () => {
    const kit = await subscribed();
    kit.sandbox.paypal.refund(kit.ipns()[1]?.txn_id ?? '');
    await kit.sandbox.flush();
    expect(kit.ipns()[2]).toMatchObject({
      payment_status: 'Refunded',
      subscr_id: kit.subscrId,
      mc_gross: '-9.99',
    });
  });

  it('modify and end of term on demand', async () => {
    const kit = await subscribed();
    kit.sandbox.paypal.modifySubscription(kit.subscrId, { amount: '12.00' });
    await kit.sandbox.advance(31 * DAY);
    kit.sandbox.paypal.endSubscription(kit.subscrId);
    await kit.sandbox.advance(62 * DAY);
    expect(kit.ipns().map((f) => [f.txn_type, f.mc_amount3 ?? f.mc_gross])).toEqual([
      ['subscr_signup', '9.99'],
      ['subscr_payment', '9.99'],
      ['subscr_modify', '12.00'],
      ['subscr_payment', '12.00'],
      ['subscr_eot', undefined],
    ]);
    expect(kit.ipns()[2]?.subscr_effective).toMatch(/P[SD]T$/);
  });

  it('deny on a subscription creates nothing', async () => {
    const kit = setup();
    const { sessionId } = await openCheckout(kit.sandbox, SUBSCRIBE);
    expect((await kit.sandbox.paypal.act(sessionId, 'deny')).method).toBe('NONE');
    await kit.sandbox.flush();
    expect(kit.received).toHaveLength(0);
  });
});

describe('subscription calendar', () => {
  it('adds months keeping the day, clamped to the month end', () => {
    expect(
      new Date(addTerm(Date.UTC(2026, 0, 31), { amountMinor: 1, count: 1, unit: 'M' })).toISOString(),
    ).toBe('2026-02-28T00:00:00.000Z');
    expect(
      new Date(addTerm(Date.UTC(2024, 1, 29), { amountMinor: 1, count: 1, unit: 'Y' })).toISOString(),
    ).toBe('2025-02-28T00:00:00.000Z');
    expect(addTerm(0, { amountMinor: 1, count: 2, unit: 'W' })).toBe(14 * DAY);
  });

  it('orders trials before the regular term and stops after srt', () => {
    const plan = {
      trial1: { amountMinor: 0, count: 7, unit: 'D' as const },
      regular: { amountMinor: 500, count: 1, unit: 'M' as const },
      recurring: true,
      recurTimes: 2,
      reattempt: false,
    };
    expect([0, 1, 2, 3].map((i) => termOfCycle(plan, i)?.amountMinor)).toEqual([0, 500, 500, undefined]);
  });
});
