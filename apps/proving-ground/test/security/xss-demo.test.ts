import { memoryStore } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { setupDemo } from '../../../demo/test/support/demo';
import { expectInert, PROBE } from './xss-probes';

/**
 * XSS probes on the demo's pages (users copy the demo): reflected through paths, queries and form
 * fields, and stored through what anyone can make the bridge log about a payment (a forged IPN, a
 * customer's return with a crafted URL, headers and body), which the admin's message log shows.
 */
const PASSWORD = 'security-suite-admin-password';
const q = encodeURIComponent(PROBE);

function demoWithPayment() {
  const demo = setupDemo(memoryStore(), { DEMO_ADMIN_PASSWORD: PASSWORD });
  const authorization = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
  const admin = (path: string) => demo.request(path, { headers: { authorization } });
  // A browser form post from the demo's own pages (same origin).
  const post = (path: string, fields: Record<string, string>) =>
    demo.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://demo.test' },
      body: new URLSearchParams(fields).toString(),
    });
  return { demo, admin, post };
}

describe("the demo's pages", () => {
  it('shop and order pages with a probe in the path or the query', async () => {
    const { demo } = demoWithPayment();
    const { paymentId, orderId } = await demo.startButton('hoodie', 'paypal');
    await expectInert(await demo.request(`/?${q}=${q}`));
    for (const path of [`/orders/${q}`, `/orders/${q}/summary`, `/orders/${orderId}?payment=${q}`]) {
      await expectInert(await demo.request(path));
    }
    await expectInert(await demo.request(`/orders/${orderId}/summary?payment=${q}`));
    expect((await demo.payment(paymentId)).status).toBe('new');
  });

  it('form posts (split payment, pay the rest) with probes in every field', async () => {
    const { demo, post } = demoWithPayment();
    const { orderId } = await demo.startButton('hoodie', 'paypal');
    for (const [path, fields] of [
      ['/split', { product: 'giftbox', backend: PROBE }],
      ['/split', { product: PROBE, backend: 'paypal' }],
      [`/orders/${q}/pay-rest`, { backend: 'paypal' }],
      [`/orders/${orderId}/pay-rest`, { backend: PROBE }],
    ] as const) {
      const response = await post(path, fields);
      expect(response.status).toBeGreaterThanOrEqual(400);
      await expectInert(response);
    }
  });

  it('admin pages with a probe in the path, the flash messages or the setup URL', async () => {
    const { demo, admin } = demoWithPayment();
    const { paymentId } = await demo.startButton('hoodie', 'paypal');
    await expectInert(await admin(`/admin?ok=${q}&error=${q}`), { reached: true });
    await expectInert(await admin(`/admin/payments/${paymentId}?ok=${q}&error=${q}`), { reached: true });
    await expectInert(await admin(`/admin/setup?url=${q}`), { reached: true });
    await expectInert(await admin(`/admin/payments/${q}`));
  });

  it("stored: a forged IPN and a crafted return in the payment's message log", async () => {
    const { demo, admin } = demoWithPayment();
    const { paymentId } = await demo.startButton('hoodie', 'paypal');
    const forged = new URLSearchParams({
      invoice: paymentId,
      custom: PROBE,
      item_name: PROBE,
      payment_status: 'Completed',
      txn_id: 'X1',
      mc_gross: '49.00',
      mc_currency: 'EUR',
      test_ipn: '1',
      charset: 'utf-8',
    });
    const notify = await demo.request('/payments/notify/paypal', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': PROBE.replace(/[^\x20-\x7e]/g, ''),
      },
      body: forged.toString(),
    });
    expect(notify.status).toBe(200);
    const back = await demo.request(`/payments/return/paypal/${paymentId}?${q}=${q}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: PROBE },
      body: `${q}=${q}`,
    });
    expect(back.status).toBe(303);
    expect((await demo.payment(paymentId)).status).toBe('new');
    const page = await admin(`/admin/payments/${paymentId}`);
    expect(page.status).toBe(200);
    const html = await expectInert(page, { reached: true });
    // Both messages are on the page (the postback of the forged IPN, the customer's return).
    expect(html).toContain('ipn-postback');
    expect(html).toContain('return');
  });

  it('the store-credit page and its answers', async () => {
    const { demo, post } = demoWithPayment();
    const split = await post('/split', { product: 'giftbox', backend: 'paypal' });
    expect(split.status).toBeLessThan(400);
    const [wallet] = (await demo.bridge.store.listPayments({ backend: 'wallet', limit: 5 })).items;
    expect(wallet).toBeDefined();
    await expectInert(await demo.request(`/payments/backend/wallet/pay/${wallet?.id}?${q}=${q}`));
    await expectInert(await demo.request(`/payments/backend/wallet/pay/${q}`));
    const bad = await post(`/payments/backend/wallet/pay/${wallet?.id}`, { action: PROBE });
    await expectInert(bad);
    expect((await demo.payment(wallet?.id as string)).status).toBe('new');
  });
});
