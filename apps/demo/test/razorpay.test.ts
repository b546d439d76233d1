import { describe, expect, it } from 'vitest';
import { setupDemo } from './support/demo';

type Demo = ReturnType<typeof setupDemo>;

/** Starts the INR product with Razorpay and opens the sandbox's Payment Link page. */
async function checkout(t: Demo) {
  const started = await t.startButton('chai', 'razorpay');
  expect(started.redirect).toMatchObject({
    method: 'GET',
    url: expect.stringMatching(/^http:\/\/demo\.test\/sandbox\/razorpay\/i\//),
  });
  const { session } = await t.openHostedPage(started.redirect);
  return { ...started, link: session };
}

describe('demo shop: Razorpay through the mounted sandbox', () => {
  it('offers Razorpay for rupees only, and says why it is left out for other currencies', async () => {
    const t = setupDemo();
    const inr = (await (await t.request('/payments/methods?currency=INR&amount=49900')).json()) as {
      available: Array<{ id: string }>;
    };
    expect(inr.available.map((b) => b.id)).toEqual(['razorpay']);
    const eur = (await (await t.request('/payments/methods?currency=EUR&amount=1299')).json()) as {
      available: Array<{ id: string }>;
      unavailable: Array<{ id: string; reasons: Array<{ code: string }> }>;
    };
    expect(eur.available.map((b) => b.id)).not.toContain('razorpay');
    const left = eur.unavailable.find((b) => b.id === 'razorpay');
    expect(left?.reasons.map((r) => r.code)).toContain('CURRENCY');
  });

  it('pays the chai tin (₹499.00): the signed webhooks make it paid; the return lands on the order', async () => {
    const t = setupDemo();
    const { paymentId, orderId, link } = await checkout(t);
    const step = t.sandbox.razorpay.act(link, 'pay');
    expect((await t.payment(paymentId)).status).toBe('new');
    await t.sandbox.flush();
    expect(await t.comeBack(step)).toBe(`http://demo.test/orders/${orderId}?payment=${paymentId}`);
    expect(await t.payment(paymentId)).toMatchObject({ status: 'paid', amountPaid: 49_900, currency: 'INR' });
  });

  it('a declined attempt leaves the order unpaid and payable', async () => {
    const t = setupDemo();
    const { paymentId, orderId, link } = await checkout(t);
    t.sandbox.razorpay.act(link, 'decline');
    await t.sandbox.flush();
    expect((await t.payment(paymentId)).status).toBe('new');
    expect(await (await t.request(`/orders/${orderId}`)).text()).toContain('Not paid');
  });
});
