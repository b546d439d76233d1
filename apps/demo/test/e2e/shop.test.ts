import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyWith, hasChromium, type Shop, startShop } from './harness';

const WAITING = 'Waiting for the payment confirmation';
const ACCEPTED = 'Payment accepted';
const DECLINED = 'Payment declined';
const CARD_OK = '4000000000000002';

/** Back on the order page: the return proves nothing, so it waits until the broker's call arrives. */
async function waitThenAccept(shop: Shop, page: Page) {
  await page.waitForURL(/\/orders\//);
  await page.getByText(WAITING).waitFor();
  await shop.demo.sandbox.flush();
  await page.getByText(ACCEPTED).waitFor();
}

describe.runIf(hasChromium)('the demo shop in a real browser', { timeout: 60_000 }, () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop();
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('the shop offers each product the brokers its currency and recurrence allow', async () => {
    const page = await shop.page();
    await page.goto(`${shop.url}/`);
    await page.locator('.pb-pay:not([disabled])').nth(7).waitFor();
    const choices = await page.$$eval('article[data-product]', (cards) =>
      cards.map((card) => ({
        product: (card as HTMLElement).dataset.product,
        brokers: [...card.querySelectorAll('.pb-backend')].map((l) => l.textContent?.trim()),
        names: [
          ...new Set([...card.querySelectorAll('.pb-backend input')].map((i) => i.getAttribute('name'))),
        ],
        checked: card.querySelectorAll('.pb-backend input:checked').length,
        only: card.querySelector('[data-testid="only-broker"] strong')?.textContent ?? null,
      })),
    );
    const all = ['PayPal', 'PayU', 'CM-CIC Paiement / Monetico', 'Stripe'];
    expect(choices.map((c) => [c.product, c.brokers.length ? c.brokers : c.only])).toEqual([
      ['mug', all],
      ['tshirt', ['PayPal', 'PayU', 'Przelewy24']],
      ['stickers', ['PayPal', 'PayU', 'Stripe']],
      ['adire', 'Flutterwave'],
      ['kikoy', 'Flutterwave'],
      ['tenugui', ['PayPal', 'Stripe']],
      // Rupees: Razorpay alone, so the card names it instead of offering a choice.
      ['chai', 'Razorpay'],
      ['pro', ['PayPal', 'Stripe']],
      ['hoodie', all],
      ['giftbox', all],
    ]);
    // Each card is its own radio group with its default broker chosen.
    const multi = choices.filter((c) => c.brokers.length > 1);
    expect(new Set(multi.flatMap((c) => c.names)).size).toBe(multi.length);
    expect(multi.every((c) => c.names.length === 1 && c.checked === 1)).toBe(true);
    await shop.screenshot(page, 'shop');
  });

  it('PayPal: buys the mug, pays on the sandbox page, sees waiting then accepted', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'mug', 'PayPal');
    await page.waitForURL(/\/sandbox\/paypal\//);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await waitThenAccept(shop, page);
    await page.getByTestId('order-status').getByText('Paid').waitFor();
    await shop.screenshot(page, 'paypal-accepted');
  });

  it('PayPal: a payment the broker later denies keeps waiting (a denial before money binds nothing, issue 14)', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'stickers', 'PayPal');
    await page.waitForURL(/\/sandbox\/paypal\//);
    await page.getByRole('button', { name: 'Pay, later denied' }).click();
    await page.waitForURL(/\/orders\//);
    await page.getByText(WAITING).waitFor();
    const denials: string[] = [];
    shop.demo.bridge.on('payment.processed', ({ facts, outcome }) => {
      for (const fact of facts) if (fact.type === 'failed') denials.push(outcome);
    });
    await shop.demo.sandbox.flush();
    // PayPal's denial arrived; a stranger's checkout naming this invoice would look the same, so it
    // is reported and the payment stays payable (DESIGN §6).
    expect(denials).toEqual(['unchanged']);
    await page.reload();
    await page.getByText(WAITING).waitFor();
    expect(await page.getByText(DECLINED).count()).toBe(0);
    await shop.screenshot(page, 'paypal-denied-waiting');
  });

  it('PayU: buys the T-shirt in złoty; the return pulls the status from PayU’s API', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'tshirt', 'PayU');
    await page.waitForURL(/\/sandbox\/payu\//);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(/\/orders\//);
    // No notification delivered yet: the authenticated status pull on return already proves it.
    expect(shop.demo.sandbox.queue.pending().length).toBeGreaterThan(0);
    await page.getByText(ACCEPTED).waitFor();
    await shop.screenshot(page, 'payu-accepted');
  });

  it('PayU: the embroidered hoodie while PayU’s API is down waits for the notification', async () => {
    const page = await shop.page();
    await page.goto(`${shop.url}/`);
    const card = page.locator('article[data-product="hoodie"]');
    await card.getByLabel('Option').selectOption({ label: 'Hoodie, embroidered — €59.00' });
    await card.getByLabel('PayU', { exact: true }).check();
    await card.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(/\/sandbox\/payu\//);
    await page.getByText('59.00 EUR').waitFor();
    shop.demo.sandbox.payu.faults.apiError = { status: 503, remaining: 1000 };
    try {
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await page.waitForURL(/\/orders\//);
      await page.getByText(WAITING).waitFor();
    } finally {
      shop.demo.sandbox.payu.faults.apiError = undefined;
    }
    await shop.demo.sandbox.flush();
    await page.getByText(ACCEPTED).waitFor();
    await page.getByText(/Hoodie, embroidered — total €59\.00/).waitFor();
    await shop.screenshot(page, 'payu-waiting-then-accepted');
  });

  it('PayU: a declined payment shows declined', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'stickers', 'PayU');
    await page.waitForURL(/\/sandbox\/payu\//);
    await page.getByRole('button', { name: 'Decline', exact: true }).click();
    await page.waitForURL(/\/orders\//);
    await shop.demo.sandbox.flush();
    await page.getByText(DECLINED).waitFor();
    await page.getByText('Not paid').waitFor();
    await shop.screenshot(page, 'payu-declined');
  });

  it('CM-CIC: pays by card and saves it; the second purchase asks only the CVV', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'mug', 'CM-CIC Paiement / Monetico');
    await page.waitForURL(/\/sandbox\/cmcic\//);
    await page.locator('input[name="card"]').fill(CARD_OK);
    await page.locator('input[name="expiry"]').fill('12/30');
    await page.locator('input[name="cvv"]').fill('123');
    await page.locator('input[name="remember"]').check();
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('link', { name: 'Retour au site du commerçant' }).click();
    await waitThenAccept(shop, page);
    await shop.screenshot(page, 'cmcic-accepted');

    await buyWith(shop, page, 'hoodie', 'CM-CIC Paiement / Monetico');
    await page.waitForURL(/\/sandbox\/cmcic\//);
    await page.getByText('Carte enregistrée').waitFor();
    await shop.screenshot(page, 'cmcic-saved-card-page');
    // Only the CVV is asked: the card number field stays folded under "another card".
    expect(await page.locator('input[name="card"]').isVisible()).toBe(false);
    await page.locator('input[name="cvv"]').fill('123');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('link', { name: 'Retour au site du commerçant' }).click();
    await waitThenAccept(shop, page);
    await shop.screenshot(page, 'cmcic-saved-card-accepted');
    const paymentId = new URL(page.url()).searchParams.get('payment') as string;
    const paid = await shop.demo.bridge.getPayment(paymentId);
    expect(paid?.brokerData).toMatchObject({
      cmcic: {
        cmcic: { cvvEntered: true, express: { alias: 'buyerexamplecom', maskedCard: '40000000******02' } },
      },
    });
  });

  // A CM-CIC refusal is one card attempt among up to 4 per reference: it never ends the payment
  // (binding, DESIGN §6), so the order stays unpaid and payable rather than declined.
  it('CM-CIC: a refused card, then leaving the page, leaves the order unpaid', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'mug', 'CM-CIC Paiement / Monetico');
    await page.waitForURL(/\/sandbox\/cmcic\//);
    // The buyer's card was saved by the previous test: type another one.
    const other = page.getByText('Utiliser une autre carte');
    if (await other.isVisible()) await other.click();
    await page.locator('input[name="card"]').fill('4000000000000010');
    await page.locator('input[name="expiry"]').fill('12/30');
    await page.locator('input[name="cvv"]').fill('123');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Paiement refusé').first().waitFor();
    await shop.screenshot(page, 'cmcic-bank-refused');
    await page.getByRole('link', { name: 'Retour au site du commerçant' }).click();
    await page.waitForURL(/\/orders\//);
    await shop.demo.sandbox.flush();
    await page.reload();
    await page.getByTestId('order-status').getByText('Not paid').waitFor();
    expect(await page.getByText(DECLINED).count()).toBe(0);
    await shop.screenshot(page, 'cmcic-declined');
  });

  it('PayPal subscription: signs up, then a second period after the sandbox moves a month', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'pro', null);
    await page.waitForURL(/\/sandbox\/paypal\//);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(/\/orders\//);
    await page.getByText('Waiting for the broker to confirm the subscription').waitFor();
    await shop.demo.sandbox.flush();
    await page.getByTestId('paid-periods').getByText('1 payment received').waitFor();
    const orderUrl = page.url();

    await page.goto(`${shop.url}/admin`);
    await page.getByRole('button', { name: 'Advance one month' }).click();
    await page.getByText('sandbox clock moved 31 days').waitFor();
    await page.goto(orderUrl);
    await page.getByTestId('paid-periods').getByText('2 payments received').waitFor();
    await shop.screenshot(page, 'paypal-subscription-two-periods');
  });

  it('split payment: store credit, then the rest with PayPal; the order is paid when both are', async () => {
    const page = await shop.page();
    await page.goto(`${shop.url}/`);
    const card = page.locator('article[data-product="giftbox"]');
    await card.locator('select[name="backend"]').selectOption('paypal');
    await card.getByRole('button', { name: 'Pay with store credit + broker' }).click();
    await page.waitForURL(/\/backend\/wallet\//);
    await page.getByRole('button', { name: /Use €10\.00 of store credit/ }).click();
    await page.waitForURL(/\/sandbox\/paypal\//);
    await page.getByText('20.00').first().waitFor();
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(/\/orders\//);
    await page.getByText('Partly paid').waitFor();
    await waitThenAccept(shop, page);
    await page.getByTestId('order-status').getByText('Paid').waitFor();
    await shop.screenshot(page, 'split-accepted');
  });

  it('admin: refunds part of a PayU payment and shows the message log', async () => {
    const page = await shop.page();
    await page.goto(`${shop.url}/admin`);
    await shop.screenshot(page, 'admin-list');
    const payu = (await shop.demo.bridge.store.listPayments({ backend: 'payu', status: 'paid' })).items[0];
    expect(payu).toBeDefined();
    await page.goto(`${shop.url}/admin/payments/${payu?.id}`);
    await page.getByLabel(/Amount/).fill('9.00');
    await page.getByRole('button', { name: 'Refund part' }).click();
    await page.getByText('refund done').waitFor();
    await page.goto(`${shop.url}/admin`);
    await page.getByRole('button', { name: 'Finalize PayU refunds' }).click();
    await page.goto(`${shop.url}/admin/payments/${payu?.id}`);
    await page.getByText('partially_refunded').first().waitFor();
    await page.getByText('Gateway message log').waitFor();
    await shop.screenshot(page, 'admin-payment');
  });
});
