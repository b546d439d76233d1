import { describe, expect, it } from 'vitest';
import { endState, MERCHANT, SHOP, setup } from './support/e2e';

const MINUTE = 60_000;

describe('e2e through the Przelewy24 sandbox: faults', () => {
  it('a forged notification for an unpaid payment is refused, changes nothing and never reaches verify', async () => {
    const t = setup();
    const { paymentId, token } = await t.start();
    const forged = {
      merchantId: MERCHANT.merchantId,
      posId: MERCHANT.posId,
      sessionId: paymentId,
      amount: 4999,
      originAmount: 4999,
      currency: 'PLN',
      orderId: 3_999_999_999,
      methodId: 154,
      statement: 'p24-000-000-000',
      sign: 'ab'.repeat(48),
    };
    const response = await t.bridge.handler(
      new Request(`${SHOP}/notify/przelewy24`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(forged),
      }),
    );
    expect(response.status).toBe(400);
    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ amountPaid: 0, externalId: null });
    expect(payment.status).toMatch(/^(new|pending)$/);
    expect(await t.outbound('verify')).toHaveLength(0);
    // The unverified message named a known payment: the bridge pulled, and P24 says nothing was paid.
    expect(await t.outbound('status')).toHaveLength(1);
    expect(t.transaction(token)?.status).toBe(0);
  });

  it('a genuine payment notified with a bad sign is booked only through the pull and its verify', async () => {
    const t = setup();
    t.sandbox.przelewy24.faults = { signature: 'forged' };
    const { paymentId, token } = await t.start();
    await t.act(token, 'pay');
    const [delivery] = t.sandbox.przelewy24.deliveries();
    expect(delivery?.attempts[0]?.status).toBe(400);
    // The notification itself changed nothing; the pull it triggered found status 1 and verified.
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 4999 });
    expect(await t.outbound('verify')).toHaveLength(1);
    expect(t.transaction(token)?.status).toBe(2);
  });

  it('a notification without sign is malformed and changes nothing', async () => {
    const t = setup();
    t.sandbox.przelewy24.faults = { signature: 'missing' };
    const { paymentId, token } = await t.start();
    await t.act(token, 'pay');
    expect((await t.get(paymentId)).amountPaid).toBe(0);
    expect(await t.outbound('verify')).toHaveLength(0);
  });

  it('a notification signed for another merchant is refused', async () => {
    const t = setup({ backend: { merchantId: 999_001, posId: 100200 } });
    // The sandbox only knows merchant 100200: the register is refused at once.
    const response = await t.bridge.handler(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'przelewy24', orderId: 'x' }),
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
  });

  it('duplicates and P24 retries are idempotent: one verify, one capture', async () => {
    const t = setup();
    t.sandbox.przelewy24.faults = { duplicate: 2 };
    const { paymentId } = await t.paid();
    const once = endState(await t.get(paymentId));
    expect(once).toMatchObject({ status: 'paid', amountPaid: 4999 });
    await t.sandbox.advance(24 * 60 * MINUTE);
    expect(endState(await t.get(paymentId))).toEqual(once);
    expect(await t.outbound('verify')).toHaveLength(1);
    expect(t.sandbox.przelewy24.deliveries().every((d) => d.state === 'delivered')).toBe(true);
  });

  it('P24 API down at verify: answered 503, P24 resends after 3 minutes, then the payment is booked', async () => {
    const t = setup();
    const { paymentId, token } = await t.start();
    t.sandbox.przelewy24.faults = { apiError: { status: 503, remaining: 1 } };
    await t.act(token, 'pay');
    expect((await t.get(paymentId)).amountPaid).toBe(0);
    const [delivery] = t.sandbox.przelewy24.deliveries();
    expect(delivery?.attempts[0]?.status).toBe(503);
    await t.sandbox.advance(3 * MINUTE);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 4999 });
    expect(delivery?.state).toBe('delivered');
  });

  it('a merchant that never verifies is notified on the 3/5/15/30/60/150/450-minute schedule, then P24 gives up', async () => {
    const t = setup();
    t.sandbox.przelewy24.faults = { signature: 'missing' };
    await t.paid();
    for (let minute = 0; minute < 800; minute++) await t.sandbox.advance(MINUTE);
    const [delivery] = t.sandbox.przelewy24.deliveries();
    expect(delivery?.attempts).toHaveLength(8);
    expect(delivery?.state).toBe('gave-up');
    const gaps = delivery?.attempts.slice(1).map((a, i) => (a.at - (delivery.attempts[i]?.at ?? 0)) / MINUTE);
    expect(gaps).toEqual([3, 5, 15, 30, 60, 150, 450]);
  });

  it('out of order: a late notification after a refund changes nothing', async () => {
    const t = setup({ simulator: { autoCompleteRefunds: true } });
    t.sandbox.przelewy24.faults = { reorder: true };
    const { paymentId, token } = await t.start();
    await t.act(token, 'pay');
    // The notification is held: reconciliation verifies first, then the merchant refunds.
    await t.bridge.reconcile({ olderThan: 0 });
    expect((await t.get(paymentId)).status).toBe('paid');
    await t.bridge.refund(paymentId, { amount: 999 });
    await t.sandbox.flush();
    const refunded = endState(await t.get(paymentId));
    expect(refunded).toMatchObject({ status: 'partially_refunded', amountRefunded: 999 });
    t.sandbox.przelewy24.releaseHeld();
    await t.sandbox.flush();
    expect(endState(await t.get(paymentId))).toEqual(refunded);
    expect(await t.outbound('verify')).toHaveLength(1);
  });
});
