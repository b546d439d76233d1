import { describe, expect, it } from 'vitest';
import { setupDemo } from './support/demo';

type Methods = {
  available: Array<{ id: string }>;
  unavailable: Array<{ id: string; reasons: Array<{ code: string; message: string }> }>;
};

describe('demo shop: Flutterwave through the mounted sandbox', () => {
  it('pays the naira scarf: webhook, verify by id, paid; the return alone proves nothing', async () => {
    const t = setupDemo();
    const { paymentId, orderId, redirect } = await t.startButton('adire', 'flutterwave');
    expect(redirect).toMatchObject({
      method: 'GET',
      url: expect.stringMatching(/\/sandbox\/flutterwave\/v3\/hosted\/pay\//),
    });
    const { session, html } = await t.openHostedPage(redirect);
    expect(html).toContain('15000 NGN');
    const step = t.sandbox.flutterwave.act(session, 'pay');
    expect((await t.payment(paymentId)).status).toBe('new');
    await t.sandbox.flush();
    expect(await t.comeBack(step)).toBe(`http://demo.test/orders/${orderId}?payment=${paymentId}`);
    expect(await t.payment(paymentId)).toMatchObject({
      status: 'paid',
      amountPaid: 1500000,
      currency: 'NGN',
    });
    const log = await t.bridge.store.listMessages({ paymentId, limit: 50 });
    expect(log.items.map((m) => m.kind)).toEqual(
      expect.arrayContaining(['notification', 'create-payment', 'verify-transaction']),
    );
  });

  it('a cancelled payment comes back unpaid', async () => {
    const t = setupDemo();
    const { paymentId, orderId, redirect } = await t.startButton('kikoy', 'flutterwave');
    const { session } = await t.openHostedPage(redirect);
    const step = t.sandbox.flutterwave.act(session, 'cancel');
    await t.sandbox.flush();
    await t.comeBack(step);
    expect((await t.payment(paymentId)).amountPaid).toBe(0);
    expect(await (await t.request(`/orders/${orderId}`)).text()).toContain('Not paid');
  });

  it('GET /methods offers only Flutterwave for naira and leaves it out of other currencies, saying why', async () => {
    const t = setupDemo();
    const naira = (await (
      await t.request('/payments/methods?currency=NGN&amount=1500000')
    ).json()) as Methods;
    expect(naira.available.map((b) => b.id)).toContain('flutterwave');
    for (const query of [
      'currency=EUR&amount=1299',
      'currency=PLN&amount=7900',
      'currency=JPY&amount=1500',
    ]) {
      const body = (await (await t.request(`/payments/methods?${query}`)).json()) as Methods;
      expect(body.available.map((b) => b.id)).not.toContain('flutterwave');
      const reasons = body.unavailable.find((b) => b.id === 'flutterwave')?.reasons.map((r) => r.code);
      expect(reasons).toContain('CURRENCY');
    }
  });

  it('refunds part of a paid order at once', async () => {
    const t = setupDemo();
    const { paymentId, redirect } = await t.startButton('adire', 'flutterwave');
    const { session } = await t.openHostedPage(redirect);
    t.sandbox.flutterwave.act(session, 'pay');
    await t.sandbox.flush();
    await t.bridge.refund(paymentId, { amount: 500000 });
    expect(await t.payment(paymentId)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 500000,
    });
  });
});
