import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyWith, hasChromium, type Shop, startShop } from './harness';

const WAITING = 'Waiting for the payment confirmation';
const ACCEPTED = 'Payment accepted';

/** On the sandbox's hosted Checkout page: types a card number and pays. */
async function payByCard(page: Page, card: string) {
  await page.waitForURL(/\/sandbox\/stripe\/c\/pay\/cs_test_/);
  await page.getByLabel('Card number').fill(card);
  await page.getByRole('button', { name: /^Pay [^b]/ }).click();
}

/**
 * Back on the order page, accepted once the signed webhook arrives (the sandbox's delivery loop may
 * already have sent it while the browser followed the redirect, so "waiting" is not always seen here).
 */
async function accepted(shop: Shop, page: Page) {
  await page.waitForURL(/\/orders\//);
  await shop.demo.sandbox.flush();
  await page.getByText(ACCEPTED).waitFor();
}

describe.runIf(hasChromium)('the demo shop with Stripe in a real browser', { timeout: 60_000 }, () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop();
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('Stripe: pays the JPY towel by card; the signed webhook makes it paid', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'tenugui', 'Stripe');
    await payByCard(page, '4242424242424242');
    await accepted(shop, page);
    await page.getByTestId('order-status').getByText('Paid').waitFor();
    await shop.screenshot(page, 'stripe-accepted');
  });

  it('Stripe: a card asking for 3-D Secure pays once the challenge is completed', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'stickers', 'Stripe');
    await payByCard(page, '4000002500003155');
    await page.waitForURL(/\/sandbox\/stripe\/c\/3ds\//);
    await page.getByText('Complete or fail this test authentication.').waitFor();
    await page.getByRole('button', { name: 'Complete', exact: true }).click();
    await accepted(shop, page);
    await shop.screenshot(page, 'stripe-3ds-accepted');
  });

  it('Stripe: a declined card stays on Checkout with the reason, the order unpaid', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'mug', 'Stripe');
    await payByCard(page, '4000000000000002');
    await page.getByRole('alert').getByText('Your card was declined.').waitFor();
    // On Checkout the payment is stored; the earlier tests' Stripe payments are all paid.
    const { items } = await shop.demo.bridge.store.listPayments({ backend: 'stripe', limit: 100 });
    const unpaid = items.filter((p) => p.status === 'new' && p.orderId.startsWith('mug'));
    expect(unpaid).toHaveLength(1);
    const orderId = unpaid[0]?.orderId;
    expect(page.url()).toMatch(/\/sandbox\/stripe\/c\/pay\//);
    await shop.demo.sandbox.flush();
    await page.goto(`${shop.url}/orders/${orderId}`);
    await page.getByText('Not paid').waitFor();
    await shop.screenshot(page, 'stripe-declined');
  });

  it('Stripe: a SEPA debit waits for the bank, then settles on the sandbox clock', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'mug', 'Stripe');
    await page.waitForURL(/\/sandbox\/stripe\/c\/pay\//);
    await page.getByRole('button', { name: 'Pay by SEPA Direct Debit' }).click();
    await page.waitForURL(/\/orders\//);
    await shop.demo.sandbox.flush();
    await page.reload();
    await page.getByText(WAITING).waitFor();
    shop.demo.clock.advance(shop.demo.sandbox.stripe.config.asyncSettleDelayMs + 1000);
    await shop.demo.sandbox.flush();
    await page.getByText(ACCEPTED).waitFor();
    await shop.screenshot(page, 'stripe-sepa-settled');
  });

  it('admin: refunds part of a Stripe payment', async () => {
    const page = await shop.page();
    const { items } = await shop.demo.bridge.store.listPayments({ backend: 'stripe', status: 'paid' });
    const paid = items.find((p) => p.currency === 'USD');
    expect(paid).toBeDefined();
    await page.goto(`${shop.url}/admin/payments/${paid?.id}`);
    await page.getByLabel(/Amount/).fill('1.00');
    await page.getByRole('button', { name: 'Refund part' }).click();
    await page.getByText('refund done').waitFor();
    await shop.demo.sandbox.flush();
    await shop.screenshot(page, 'stripe-admin-refund-done');
    await page.goto(`${shop.url}/admin/payments/${paid?.id}`);
    await page.getByText('partially_refunded').first().waitFor();
    expect(await shop.demo.bridge.getPayment(paid?.id as string)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 100,
    });
    await shop.screenshot(page, 'stripe-admin-refund');
  });
});
