import { describe, expect, it } from 'vitest';
import { endState, SHOP, setup } from './support/e2e';

describe('e2e through the Przelewy24 sandbox: refunds and reconciliation', () => {
  it('a partial refund is pending until P24 completes it, then a second refund empties the payment', async () => {
    const t = setup();
    const { paymentId, token } = await t.paid();
    expect(await t.bridge.refund(paymentId, { amount: 1000 })).toMatchObject({ status: 'paid' });
    expect(t.sandbox.przelewy24.completeRefunds()).toBe(1);
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 1000 });
    await t.bridge.refund(paymentId, {});
    t.sandbox.przelewy24.completeRefunds();
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 4999 });
    expect(t.transaction(token)?.status).toBe(3);
    expect(t.transaction(token)?.refunds.map((r) => r.amount)).toEqual([1000, 3999]);
  });

  it('a refund P24 rejects gives the money back to the payment', async () => {
    const t = setup();
    const { paymentId } = await t.paid();
    await t.bridge.refund(paymentId, { amount: 500 });
    t.sandbox.przelewy24.rejectRefunds();
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 4999, amountRefunded: 0 });
  });

  it('a refund retried with the same idempotency key is sent once ("Request already exists")', async () => {
    const t = setup();
    const { paymentId, token } = await t.paid();
    await t.bridge.refund(paymentId, { amount: 700, idempotencyKey: 'rma-1' });
    await t.bridge.refund(paymentId, { amount: 700, idempotencyKey: 'rma-1' });
    expect(t.transaction(token)?.refunds).toHaveLength(1);
  });

  it('a refund above what is left is refused by the bridge before reaching P24', async () => {
    const t = setup();
    const { paymentId } = await t.paid();
    const refused = await t.bridge.refund(paymentId, { amount: 5000 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'INVALID_AMOUNT' });
    expect(await t.outbound('refund')).toHaveLength(0);
  });

  it('reconcile() recovers a lost notification: the pull sees status 1 and verifies', async () => {
    const t = setup();
    const { paymentId, token } = await t.start();
    // The notification is lost (urlStatus unreachable: every attempt fails).
    t.sandbox.przelewy24.faults = { reorder: true };
    await t.act(token, 'pay');
    expect(t.transaction(token)?.status).toBe(1);
    expect((await t.get(paymentId)).amountPaid).toBe(0);
    t.clock.advance(10 * 60_000);
    const result = await t.bridge.reconcile();
    expect(result).toMatchObject({ pulled: 1 });
    expect(await t.get(paymentId)).toMatchObject({
      status: 'paid',
      amountPaid: 4999,
      externalId: String(t.transaction(token)?.orderId),
    });
    expect(t.transaction(token)?.status).toBe(2);
  });

  it('a pull after refunds reads them back from P24 (refund notifications lost)', async () => {
    const t = setup();
    const { paymentId } = await t.paid();
    await t.bridge.refund(paymentId, {});
    // The refund notification is lost (P24 gave up on it): the payment learns it from the pull only.
    // (A refused one would not do: it names the payment, whose open refund the bridge then pulls.)
    t.sandbox.przelewy24.completeRefunds();
    const lost = t.sandbox.queue.pending().filter((delivery) => delivery.broker === 'przelewy24');
    expect(lost.length).toBeGreaterThan(0);
    for (const delivery of lost) delivery.state = 'gave-up';
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('paid');
    const facts = await t.backend.fetchStatus(await t.get(paymentId), {
      testMode: true,
      endpoint: 'http://sandbox.test/przelewy24',
      baseUrl: 'https://shop.test/pay',
      notifyUrl: 'https://shop.test/pay/notify/przelewy24',
      returnUrl: () => '',
      clientIp: null,
      fetch: (url, init) => t.sandbox.handler(new Request(url, init)),
      now: () => new Date(t.clock.now()),
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    expect(facts.map((f) => f.type)).toEqual(['captured', 'broker_data', 'refunded']);
    expect(endState(await t.get(paymentId)).status).toBe('paid');
  });

  it('a refund notification refused for its signature settles the open refund by a pull (verify-or-pull)', async () => {
    const t = setup();
    const { paymentId } = await t.paid();
    await t.bridge.refund(paymentId, {});
    t.sandbox.przelewy24.faults = { signature: 'forged' };
    t.sandbox.przelewy24.completeRefunds();
    await t.sandbox.flush();
    const refused = (await t.notifications()).filter((m) => m.verdict === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((m) => m.paymentId === paymentId && m.responseStatus === 400)).toBe(true);
    expect(await t.get(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 4999 });
  });

  it('a refund outside a request (no absolute base URL) sends the notification URL the payment was registered with', async () => {
    const t = setup();
    const { paymentId } = await t.paid();
    const bodies: Array<Record<string, unknown>> = [];
    const ctx = {
      testMode: true,
      endpoint: 'http://sandbox.test/przelewy24',
      baseUrl: '',
      notifyUrl: '/notify/przelewy24',
      returnUrl: () => '',
      clientIp: null,
      fetch: async (url: string, init: RequestInit) => {
        bodies.push(JSON.parse(String(init.body)));
        return t.sandbox.handler(new Request(url, init));
      },
      now: () => new Date(t.clock.now()),
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    };
    const result = await t.backend.refund(
      await t.get(paymentId),
      { refundId: 'rfd_outside1', amount: 100 },
      ctx,
    );
    expect(bodies[0]).toMatchObject({
      requestId: 'rfd_outside1',
      refundsUuid: 'rfd_outside1',
      urlStatus: `${SHOP}/notify/przelewy24`,
    });
    expect(result.facts).toEqual([
      expect.objectContaining({ type: 'refund_pending', refundId: 'rfd_outside1', amount: 100 }),
    ]);
  });
});
