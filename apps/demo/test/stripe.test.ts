import { describe, expect, it } from 'vitest';
import { LOCAL_PAYU_POS_IDS } from '../src/brokers';
import { generateLocalKeys } from '../src/local-keys';
import { setupDemo, TEST_BUYER } from './support/demo';

type Demo = ReturnType<typeof setupDemo>;
const CARD = '4242424242424242';
const THREE_D_SECURE = '4000002500003155';
const DECLINED = '4000000000000002';
const SEPA_SUCCEEDS = 'DE89370400440532013000';

/** Starts a product with Stripe and opens the sandbox's hosted Checkout page. */
async function checkout(t: Demo, product: string, option?: string) {
  const started = await t.startButton(product, 'stripe', option);
  expect(started.redirect.method).toBe('GET');
  expect(started.redirect.url).toMatch(/^http:\/\/demo\.test\/sandbox\/stripe\/c\/pay\/cs_test_/);
  const { session } = await t.openHostedPage(started.redirect);
  return { ...started, session };
}

describe('demo shop: Stripe through the mounted sandbox', () => {
  it.each([
    ['mug', 1299, 'EUR'],
    ['stickers', 500, 'USD'],
    ['tenugui', 1500, 'JPY'],
  ])('pays the %s (%i %s) by card; the signed webhook makes it paid', async (product, amount, currency) => {
    const t = setupDemo();
    const { paymentId, orderId, session } = await checkout(t, product);
    const step = t.sandbox.stripe.act(session, { card: CARD, email: 'buyer@example.com' });
    expect((await t.payment(paymentId)).status).toBe('new');
    await t.sandbox.flush();
    expect(await t.comeBack(step)).toBe(`http://demo.test/orders/${orderId}?payment=${paymentId}`);
    expect(await t.payment(paymentId)).toMatchObject({ status: 'paid', amountPaid: amount, currency });
    const log = await t.bridge.store.listMessages({ paymentId, limit: 50 });
    expect(log.items.map((m) => m.kind)).toContain('notification');
  });

  it('asks for 3-D Secure, then a refused challenge or a declined card leaves the order unpaid', async () => {
    const t = setupDemo();
    const secure = await checkout(t, 'mug');
    const challenge = t.sandbox.stripe.act(secure.session, { card: THREE_D_SECURE });
    expect(challenge).toMatchObject({
      method: 'GET',
      url: expect.stringMatching(/\/stripe\/c\/3ds\/cs_test_/),
    });
    t.sandbox.stripe.act(secure.session, { authenticate: 'complete' });
    await t.sandbox.flush();
    expect(await t.payment(secure.paymentId)).toMatchObject({ status: 'paid', amountPaid: 1299 });

    const declined = await checkout(t, 'stickers');
    t.sandbox.stripe.act(declined.session, { card: DECLINED });
    await t.sandbox.flush();
    expect((await t.payment(declined.paymentId)).status).toBe('new');
    const page = await (await t.request(`/orders/${declined.orderId}`)).text();
    expect(page).toContain('Not paid');
  });

  it('a SEPA debit waits for the bank, then settles on the sandbox clock', async () => {
    const t = setupDemo();
    const { paymentId, session } = await checkout(t, 'mug');
    t.sandbox.stripe.act(session, { iban: SEPA_SUCCEEDS });
    await t.sandbox.flush();
    expect((await t.payment(paymentId)).status).toBe('pending');
    t.clock.advance(t.sandbox.stripe.config.asyncSettleDelayMs + 1000);
    await t.sandbox.flush();
    expect(await t.payment(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1299 });
  });

  it('subscribes to paybridge Pro; the sandbox moving a month pays the second period', async () => {
    const t = setupDemo();
    const { paymentId, session } = await checkout(t, 'pro');
    t.sandbox.stripe.act(session, { card: CARD });
    await t.sandbox.flush();
    expect(await t.payment(paymentId)).toMatchObject({ status: 'paid', amountPaid: 900, currency: 'EUR' });
    t.clock.advance(32 * 24 * 3600_000);
    await t.sandbox.flush();
    const renewals = (await t.bridge.store.listPayments({ backend: 'stripe', limit: 10 })).items.filter(
      (p) => p.id !== paymentId,
    );
    expect(renewals.map((p) => [p.status, p.amountPaid])).toEqual([['paid', 900]]);
  });

  it('split: €10 of store credit, the rest with Stripe; the order is paid when both are', async () => {
    const t = setupDemo();
    const start = await t.postForm('/split', { product: 'giftbox', backend: 'stripe' });
    expect(start.status).toBe(303);
    const walletPage = start.headers.get('location') as string;
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
    t.sandbox.stripe.act(session, { card: CARD });
    await t.sandbox.flush();
    const order = await t.bridge.getOrder(orderId);
    expect(order).toMatchObject({ status: 'paid', amountPaid: 3000, outstanding: 0 });
    expect(order.payments.map((p) => [p.backend, p.amount, p.status]).sort()).toEqual([
      ['stripe', 2000, 'paid'],
      ['wallet', 1000, 'paid'],
    ]);
    expect(await t.ledger.balance(TEST_BUYER, 'EUR')).toBe(0);
  });

  it('admin: refunds part of a Stripe payment, then the rest; the keys never reach the page', async () => {
    const keys = generateLocalKeys(LOCAL_PAYU_POS_IDS);
    const t = setupDemo(undefined, {}, { localKeys: keys });
    const { paymentId, session } = await checkout(t, 'mug');
    t.sandbox.stripe.act(session, { card: CARD });
    await t.sandbox.flush();
    const partial = await t.postForm(`/admin/payments/${paymentId}/refund`, { amount: '2.99' });
    expect(partial.headers.get('location')).toContain('ok=');
    await t.sandbox.flush();
    expect(await t.payment(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 299 });
    await t.postForm(`/admin/payments/${paymentId}/refund`, {});
    await t.sandbox.flush();
    expect(await t.payment(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 1299 });
    const page = await (await t.request(`/admin/payments/${paymentId}`)).text();
    expect(page).toContain('Gateway message log');
    expect(page).not.toContain(keys.stripe.secretKey);
    expect(page).not.toContain(keys.stripe.webhookSecret);
  });
});
