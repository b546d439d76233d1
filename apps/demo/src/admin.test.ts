import { describe, expect, it } from 'vitest';
import { setupDemo } from './test-support';

async function authorizedPayu(t: ReturnType<typeof setupDemo>) {
  const { paymentId, redirect } = await t.startButton('tshirt', 'payu');
  const { session } = await t.openHostedPage(redirect);
  await t.sandbox.payu.act(session, 'pay_wfc');
  await t.sandbox.flush();
  expect((await t.payment(paymentId)).status).toBe('authorized');
  return paymentId;
}

describe('demo admin', () => {
  it('lists payments and shows a payment’s transitions and raw message log', async () => {
    const t = setupDemo();
    const paymentId = await authorizedPayu(t);
    const list = await (await t.request('/admin')).text();
    expect(list).toContain(`/admin/payments/${paymentId}`);
    const page = await (await t.request(`/admin/payments/${paymentId}`)).text();
    expect(page).toContain('Transitions');
    expect(page).toContain('authorized');
    expect(page).toContain('Gateway message log');
    expect(page).toContain('create-order');
    expect(page).toContain('OpenPayu-Signature'.toLowerCase());
    // PayU's second key and client secret never reach the page.
    expect(page).not.toContain('b6ca15b0d1020e8094d9b5f8d163db54');
    expect(page).not.toContain('2ee86a66e5d97e3fadc400c9f19b065d');
    expect(page).toContain('>Capture<');
    expect(page).toContain('>Cancel<');
  });

  it('captures, refunds in part (PayU finalizes it) and syncs', async () => {
    const t = setupDemo();
    const paymentId = await authorizedPayu(t);
    const captured = await t.postForm(`/admin/payments/${paymentId}/capture`, {});
    expect(captured.headers.get('location')).toContain('ok=capture');
    await t.sandbox.flush();
    expect((await t.payment(paymentId)).status).toBe('paid');

    await t.postForm(`/admin/payments/${paymentId}/refund`, { amount: '10.00' });
    await t.postForm('/admin/sandbox/payu-refunds', {});
    expect(await t.payment(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 1000 });
    const synced = await t.postForm(`/admin/payments/${paymentId}/sync`, {});
    expect(synced.headers.get('location')).toContain('ok=sync');
    expect(await t.payment(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 1000 });
  });

  it('cancels an authorization, and reports a refused operation on the page', async () => {
    const t = setupDemo();
    const paymentId = await authorizedPayu(t);
    await t.postForm(`/admin/payments/${paymentId}/cancel`, {});
    await t.sandbox.flush();
    expect((await t.payment(paymentId)).status).toBe('failed');
    const refused = await t.postForm(`/admin/payments/${paymentId}/refund`, {});
    expect(decodeURIComponent(refused.headers.get('location') as string)).toContain('error=INVALID_STATE');
  });

  it('a PayPal subscription takes a second period when the sandbox clock moves a month', async () => {
    const t = setupDemo();
    const { paymentId, redirect } = await t.startButton('pro', 'paypal');
    const { session } = await t.openHostedPage(redirect);
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    const renewals = async () =>
      (await t.bridge.store.listPayments({ limit: 50 })).items.filter((p) => p.parentPaymentId === paymentId);
    expect(await renewals()).toHaveLength(1);
    await t.postForm('/admin/sandbox/advance', { days: '31' });
    const two = await renewals();
    expect(two.map((p) => [p.status, p.amountPaid])).toEqual([
      ['paid', 900],
      ['paid', 900],
    ]);
    expect((await t.payment(paymentId)).subscription).toMatchObject({ status: 'active' });
    const page = await (await t.request(`/admin/payments/${paymentId}`)).text();
    expect(page).toContain('Subscription payments (2)');
  });

  it('shows each backend’s setup instructions for a given public URL', async () => {
    const t = setupDemo();
    const page = await (await t.request('/admin/setup?url=https://shop.example.com')).text();
    for (const id of ['paypal', 'payu', 'payu-eur', 'payu-usd', 'cmcic'])
      expect(page).toContain(`https://shop.example.com/payments/notify/${id}<`);
    expect(page).toContain('https://shop.example.com/payments/backend/wallet/pay/{paymentId}');
    expect(await (await t.request('/admin/setup?url=not-a-url')).text()).toContain('not an absolute URL');
  });
});
