import { describe, expect, it } from 'vitest';
import { setupDemo } from './support/demo';

type Methods = {
  available: Array<{ id: string }>;
  unavailable: Array<{ id: string; reasons: Array<{ code: string; message: string }> }>;
};

describe('demo shop: Przelewy24 through the mounted sandbox', () => {
  it('pays the PLN T-shirt with BLIK: notification, verify, paid; the return alone proves nothing', async () => {
    const t = setupDemo();
    const { paymentId, orderId, redirect } = await t.startButton('tshirt', 'przelewy24');
    expect(redirect).toMatchObject({
      method: 'GET',
      url: expect.stringMatching(/\/sandbox\/przelewy24\/trnRequest\//),
    });
    const { session, html } = await t.openHostedPage(redirect);
    expect(html).toContain('79.00 PLN');
    const step = t.sandbox.przelewy24.act(session, 'pay');
    expect((await t.payment(paymentId)).status).toBe('new');
    await t.sandbox.flush();
    expect(await t.comeBack(step)).toBe(`http://demo.test/orders/${orderId}?payment=${paymentId}`);
    expect(await t.payment(paymentId)).toMatchObject({ status: 'paid', amountPaid: 7900, currency: 'PLN' });
    const tx = t.sandbox.przelewy24.transactions().find((x) => x.token === session);
    expect(tx?.status).toBe(2);
    const log = await t.bridge.store.listMessages({ paymentId, limit: 50 });
    expect(log.items.map((m) => m.kind)).toEqual(
      expect.arrayContaining(['notification', 'register', 'verify']),
    );
  });

  it('a declined payment comes back unpaid', async () => {
    const t = setupDemo();
    const { paymentId, orderId, redirect } = await t.startButton('tshirt', 'przelewy24');
    const { session } = await t.openHostedPage(redirect);
    const step = t.sandbox.przelewy24.act(session, 'decline');
    await t.sandbox.flush();
    await t.comeBack(step);
    expect((await t.payment(paymentId)).amountPaid).toBe(0);
    expect(await (await t.request(`/orders/${orderId}`)).text()).toContain('Not paid');
  });

  it('GET /methods leaves Przelewy24 out of other currencies and says why', async () => {
    const t = setupDemo();
    for (const query of ['currency=EUR&amount=1299', 'currency=USD&amount=500', 'currency=JPY&amount=1500']) {
      const body = (await (await t.request(`/payments/methods?${query}`)).json()) as Methods;
      expect(body.available.map((b) => b.id)).not.toContain('przelewy24');
      const p24 = body.unavailable.find((b) => b.id === 'przelewy24');
      expect(p24?.reasons.map((r) => r.code)).toContain('CURRENCY');
    }
    const recurring = (await (
      await t.request('/payments/methods?currency=PLN&amount=900&recurring=true')
    ).json()) as Methods;
    expect(recurring.unavailable.find((b) => b.id === 'przelewy24')?.reasons.map((r) => r.code)).toContain(
      'CAPABILITY',
    );
  });

  it('refunds part of a paid order; the sandbox completes it and its signed refund notification books it', async () => {
    const t = setupDemo();
    const { paymentId, redirect } = await t.startButton('tshirt', 'przelewy24');
    const { session } = await t.openHostedPage(redirect);
    t.sandbox.przelewy24.act(session, 'pay');
    await t.sandbox.flush();
    await t.bridge.refund(paymentId, { amount: 1000 });
    await t.sandbox.flush();
    expect(await t.payment(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 1000 });
  });
});
