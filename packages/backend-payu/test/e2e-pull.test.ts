import { describe, expect, it } from 'vitest';
import { BUYER_IP, setup } from './support/e2e';

/**
 * `pull` end to end through the sandbox: PayU's notifications are held back (the sandbox only delivers
 * them on flush), so what the payment becomes is learnt from `GET /orders/{id}` alone, for every order
 * status of reference §4.5. When the notifications finally arrive they change nothing.
 */
type Harness = ReturnType<typeof setup>;

const transitions = async (t: Harness, paymentId: string) =>
  (await t.store.listTransitions(paymentId)).map((tr) => tr.to);
const pulls = async (t: Harness, paymentId: string) =>
  (await t.messages(paymentId, 'outbound')).filter((m) => m.kind === 'retrieve-order');

describe('PayU status pull (sync) with the notifications lost', () => {
  it('NEW: the buyer has not paid yet; the pull changes nothing', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    expect(t.sandbox.payu.orders().find((o) => o.id === orderId)?.status).toBe('NEW');
    expect(await t.bridge.sync(paymentId)).toMatchObject({ status: 'new', amountPaid: 0 });
    expect(await pulls(t, paymentId)).toHaveLength(1);
    expect(await transitions(t, paymentId)).toEqual(['new']);
  });

  it.each([
    ['pending', 'PENDING', 'pending', { amountAuthorized: 0, amountPaid: 0 }, ['new', 'pending']],
    [
      'pay_wfc',
      'WAITING_FOR_CONFIRMATION',
      'authorized',
      { amountAuthorized: 21000, amountPaid: 0 },
      ['new', 'authorized'],
    ],
    ['pay', 'COMPLETED', 'paid', { amountPaid: 21000 }, ['new', 'paid']],
    ['decline', 'CANCELED', 'failed', { amountPaid: 0 }, ['new', 'failed']],
  ] as const)(
    'act(%s) → %s at PayU: the pull makes the payment %s',
    async (action, payuStatus, status, amounts, path) => {
      const t = setup();
      const { paymentId, orderId } = await t.start();
      await t.sandbox.payu.act(orderId, action);
      expect(t.sandbox.payu.orders().find((o) => o.id === orderId)?.status).toBe(payuStatus);
      expect(await t.notifications(paymentId)).toHaveLength(0);

      expect(await t.bridge.sync(paymentId)).toMatchObject({ status, ...amounts });
      expect(await transitions(t, paymentId)).toEqual(path);

      // The held-back notifications arrive at last: verified, answered 200, nothing changes.
      await t.sandbox.flush();
      expect(await t.get(paymentId)).toMatchObject({ status, ...amounts });
      expect(await transitions(t, paymentId)).toEqual(path);
      const inbound = await t.notifications(paymentId);
      expect(inbound.length).toBeGreaterThan(0);
      expect(inbound.every((m) => m.verdict === 'verified' && m.responseStatus === 200)).toBe(true);
    },
  );

  it('PENDING, then settled at PayU with that notification lost too: the next pull makes it paid', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pending');
    expect((await t.bridge.sync(paymentId)).status).toBe('pending');
    await t.sandbox.payu.act(orderId, 'pay');
    expect(await t.bridge.sync(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    expect(await transitions(t, paymentId)).toEqual(['new', 'pending', 'paid']);
    expect(await pulls(t, paymentId)).toHaveLength(2);
  });

  it("the buyer's return pulls the order: paid without any notification", async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    const step = await t.sandbox.payu.act(orderId, 'pay');
    if (step.method !== 'GET') throw new Error('expected a GET step');
    const back = await t.bridge.handler(new Request(step.url), { clientIp: BUYER_IP });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`https://shop.test/thanks?payment=${paymentId}`);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    expect(await t.notifications(paymentId)).toHaveLength(0);
  });
});

describe('PayU operations with their notifications lost', () => {
  it('capture of an authorization learnt by pull; the refund finalised at PayU is learnt by the next pull', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    expect((await t.bridge.sync(paymentId)).status).toBe('authorized');
    expect(await t.bridge.capture(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    expect(t.sandbox.payu.orders().find((o) => o.id === orderId)?.status).toBe('COMPLETED');

    expect((await t.bridge.refund(paymentId, { amount: 5000 })).refunds).toMatchObject([
      { amount: 5000, status: 'pending' },
    ]);
    t.sandbox.payu.finalizeRefunds(); // its notification is held back
    expect(await t.bridge.sync(paymentId)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 5000,
    });
    await t.sandbox.flush();
    const after = await t.get(paymentId);
    expect(after).toMatchObject({ status: 'partially_refunded', amountRefunded: 5000 });
    expect(after.refunds).toMatchObject([{ amount: 5000, status: 'succeeded' }]);
  });

  it('cancel of an authorization learnt by pull', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    await t.bridge.sync(paymentId);
    expect((await t.bridge.cancel(paymentId)).status).toBe('failed');
    expect(t.sandbox.payu.orders().find((o) => o.id === orderId)?.status).toBe('CANCELED');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('failed');
  });
});
