import { describe, expect, it } from 'vitest';
import { setupDemo, TEST_BUYER } from './support/demo';

const BUYER = TEST_BUYER;

/** The split form: store credit first, the buyer confirms on the wallet page, then on to the broker. */
async function startSplit(t: ReturnType<typeof setupDemo>, backend: string) {
  const start = await t.postForm('/split', { product: 'giftbox', backend });
  expect(start.status).toBe(303);
  const walletPage = start.headers.get('location') as string;
  expect(walletPage).toMatch(/^http:\/\/demo\.test\/payments\/backend\/wallet\/pay\/pay_/);
  const page = await (await t.request(walletPage)).text();
  expect(page).toContain('Your balance: <strong>€10.00</strong>');
  return walletPage;
}

describe('store credit (the demo’s own backend) and the split payment', () => {
  it('pays €10 from store credit, the rest with PayU; the order is paid only when both are', async () => {
    const t = setupDemo();
    const walletPage = await startSplit(t, 'payu-eur');
    const confirmed = await t.postForm(walletPage, { action: 'confirm' });
    const returned = await t.request(confirmed.headers.get('location') as string);
    const next = returned.headers.get('location') as string;
    expect(next).toMatch(/\/orders\/giftbox-0-[0-9a-f]{32}\/next\?payment=pay_/);
    const orderId = new URL(next).pathname.split('/')[2] as string;

    let order = await t.bridge.getOrder(orderId);
    expect(order).toMatchObject({ status: 'partially_paid', amountPaid: 1000, outstanding: 2000 });
    expect(await t.ledger.balance(BUYER, 'EUR')).toBe(0);

    const toBroker = await t.request(next);
    expect(toBroker.status).toBe(303);
    const { session } = await t.openHostedPage({
      method: 'GET',
      url: toBroker.headers.get('location') as string,
    });
    await t.comeBack(await t.sandbox.payu.act(session, 'pay'));
    await t.sandbox.flush();
    order = await t.bridge.getOrder(orderId);
    expect(order).toMatchObject({ status: 'paid', amountPaid: 3000, outstanding: 0 });
    expect(order.payments.map((p) => [p.backend, p.amount, p.status]).sort()).toEqual([
      ['payu-eur', 2000, 'paid'],
      ['wallet', 1000, 'paid'],
    ]);
    const page = await (await t.request(`/orders/${orderId}`)).text();
    expect(page).toContain('data-testid="order-status">Paid<');
  });

  // PayU's decline ends the payment's own order; a CM-CIC refusal would not (one card attempt among several,
  // the payment stays payable at CM-CIC: binding, DESIGN §6).
  it('a declined broker part leaves the order partly paid, with the rest payable again', async () => {
    const t = setupDemo();
    const walletPage = await startSplit(t, 'payu-eur');
    const confirmed = await t.postForm(walletPage, { action: 'confirm' });
    const next = (await t.request(confirmed.headers.get('location') as string)).headers.get(
      'location',
    ) as string;
    const orderId = new URL(next).pathname.split('/')[2] as string;
    const toBroker = await t.request(next);
    expect(toBroker.status).toBe(303);
    const { session } = await t.openHostedPage({
      method: 'GET',
      url: toBroker.headers.get('location') as string,
    });
    await t.sandbox.payu.act(session, 'decline');
    await t.sandbox.flush();
    const order = await t.bridge.getOrder(orderId);
    expect(order).toMatchObject({ status: 'partially_paid', amountPaid: 1000, outstanding: 2000 });
    expect(order.payments.map((p) => [p.backend, p.status]).sort()).toEqual([
      ['payu-eur', 'failed'],
      ['wallet', 'paid'],
    ]);
    const page = await (await t.request(`/orders/${orderId}`)).text();
    expect(page).toContain('Partly paid');
    expect(page).toContain('Pay the remaining €20.00');
  });

  it('refuses a split whose rest no broker named can take, before spending any credit', async () => {
    const t = setupDemo();
    for (const backend of ['wallet', 'payu', 'nope', '']) {
      const refused = await t.postForm('/split', { product: 'giftbox', backend });
      expect(refused.status).toBe(400);
    }
    expect((await t.postForm('/split', { product: 'mug', backend: 'paypal' })).status).toBe(400);
    expect((await t.bridge.store.listPayments({ limit: 10 })).items).toHaveLength(0);
    expect(await t.ledger.balance(BUYER, 'EUR')).toBe(1000);
    const html = await (await t.request('/')).text();
    const form = html.slice(html.indexOf('action="/split"'));
    expect([...form.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'paypal',
      'payu-eur',
      'cmcic',
      'stripe',
    ]);
  });

  it('refunds store credit back to the wallet, in part then the rest', async () => {
    const t = setupDemo();
    const walletPage = await startSplit(t, 'paypal');
    await t.postForm(walletPage, { action: 'confirm' });
    const [paid] = (await t.bridge.store.listPayments({ backend: 'wallet' })).items;
    const id = paid?.id as string;
    const partial = await t.postForm(`/admin/payments/${id}/refund`, { amount: '2.50' });
    expect(partial.headers.get('location')).toContain('ok=');
    expect(await t.payment(id)).toMatchObject({ status: 'partially_refunded', amountRefunded: 250 });
    expect(await t.ledger.balance(BUYER, 'EUR')).toBe(250);
    await t.postForm(`/admin/payments/${id}/refund`, {});
    expect(await t.payment(id)).toMatchObject({ status: 'refunded', amountRefunded: 1000 });
    expect(await t.ledger.balance(BUYER, 'EUR')).toBe(1000);
  });

  it('cancelling on the wallet page declines that payment and spends nothing', async () => {
    const t = setupDemo();
    const walletPage = await startSplit(t, 'paypal');
    await t.postForm(walletPage, { action: 'cancel' });
    const [payment] = (await t.bridge.store.listPayments({ backend: 'wallet' })).items;
    expect(payment?.status).toBe('failed');
    expect(await t.ledger.balance(BUYER, 'EUR')).toBe(1000);
  });

  it('refuses a forged wallet notification and logs it', async () => {
    const t = setupDemo();
    const walletPage = await startSplit(t, 'paypal');
    const paymentId = walletPage.split('/').pop() as string;
    const body = JSON.stringify({
      paymentId,
      outcome: 'debited',
      eventId: 'x1',
      amount: 1000,
      currency: 'EUR',
    });
    const response = await t.request('/payments/notify/wallet', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wallet-signature': '00'.repeat(32) },
      body,
    });
    expect(response.status).toBe(400);
    expect((await t.payment(paymentId)).status).toBe('new');
    const [logged] = (await t.bridge.store.listMessages({ backend: 'wallet', limit: 5 })).items;
    expect(logged).toMatchObject({ verdict: 'rejected' });
  });
});
