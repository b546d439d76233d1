import { describe, expect, it } from 'vitest';
import { LOCAL_PAYU_POS_IDS } from '../src/brokers';
import { generateLocalKeys } from '../src/local-keys';
import { setupDemo } from './support/demo';

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
    const keys = generateLocalKeys(LOCAL_PAYU_POS_IDS);
    const t = setupDemo(undefined, {}, { localKeys: keys });
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
    expect(page).not.toContain(keys.payu['300746']?.secondKey);
    expect(page).not.toContain(keys.payu['300746']?.clientSecret);
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
    // PayU settles refunds later: until then the €10 is spoken for, and only the rest can be refunded.
    const text = async () =>
      (await (await t.request(`/admin/payments/${paymentId}`)).text()).replaceAll('\u00a0', ' ');
    const waiting = await text();
    expect(waiting).toContain('PLN 10.00 of refunds wait for the broker.');
    expect(waiting).toContain('>Refund the rest (PLN 69.00)<');
    expect(waiting).not.toContain('>Refund in full<');
    await t.postForm('/admin/sandbox/payu-refunds', {});
    expect(await t.payment(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 1000 });
    const after = await text();
    expect(after).toContain('>Refund the rest (PLN 69.00)<');
    expect(after).not.toContain('of refunds wait for the broker');
    const synced = await t.postForm(`/admin/payments/${paymentId}/sync`, {});
    expect(synced.headers.get('location')).toContain('ok=sync');
    expect(await t.payment(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 1000 });
  });

  it('a refund form submitted twice refunds once', async () => {
    const t = setupDemo();
    const paymentId = await authorizedPayu(t);
    await t.postForm(`/admin/payments/${paymentId}/capture`, {});
    await t.sandbox.flush();
    const page = await (await t.request(`/admin/payments/${paymentId}`)).text();
    const key = /name="key" value="(part-v\d+)"/.exec(page)?.[1];
    expect(key).toBeDefined();
    await t.postForm(`/admin/payments/${paymentId}/refund`, { amount: '10.00', key: key as string });
    await t.postForm(`/admin/payments/${paymentId}/refund`, { amount: '10.00', key: key as string });
    await t.postForm('/admin/sandbox/payu-refunds', {});
    const payment = await t.payment(paymentId);
    expect(payment).toMatchObject({ status: 'partially_refunded', amountRefunded: 1000 });
    expect(payment.refunds.filter((r) => r.kind === 'refund')).toHaveLength(1);
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
    const list = await (await t.request('/admin')).text();
    const row = list.split('<tr>').find((r) => r.includes(`>${paymentId}</a>`)) ?? '';
    expect(row).toContain('subscription</span> <span class="badge active">active</span>');
  });

  it('offers only the operations the payment’s backend supports', async () => {
    const t = setupDemo();
    const { paymentId, redirect } = await t.startButton('tenugui', 'paypal');
    const { session } = await t.openHostedPage(redirect);
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect((await t.payment(paymentId)).status).toBe('paid');
    const page = await (await t.request(`/admin/payments/${paymentId}`)).text();
    for (const label of ['Capture', 'Cancel', 'Refund in full', 'Refund part', 'Sync from broker'])
      expect(page).not.toContain(`>${label}<`);
    expect(page).toContain('PayPal refunds are made in its back office and arrive as notifications');
    // Asking anyway is refused by the bridge, and said on the page.
    const refused = await t.postForm(`/admin/payments/${paymentId}/refund`, {});
    expect(decodeURIComponent(refused.headers.get('location') as string)).toMatch(/error=\w+: /);
    expect((await t.payment(paymentId)).status).toBe('paid');
  });

  it('asks for the admin password when DEMO_ADMIN_PASSWORD is set', async () => {
    const t = setupDemo(undefined, { DEMO_ADMIN_PASSWORD: 'letmein-admin' }, { admin: undefined });
    const auth = (password: string) => ({
      headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
    });
    for (const path of ['/admin', '/admin/setup', '/admin/payments/pay_x'])
      expect((await t.request(path)).status).toBe(401);
    expect((await t.request('/admin', { method: 'POST' })).status).toBe(401);
    expect((await t.request('/admin/sandbox/flush', { method: 'POST' })).status).toBe(401);
    expect((await t.request('/admin', auth('wrong'))).status).toBe(401);
    expect((await t.request('/admin', auth('letmein-admin'))).status).toBe(200);
    // The shop itself stays open.
    expect((await t.request('/')).status).toBe(200);
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
