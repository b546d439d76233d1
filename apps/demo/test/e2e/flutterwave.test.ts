import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyWith, hasChromium, type Shop, startShop } from './harness';

const ACCEPTED = 'Payment accepted';

describe.runIf(hasChromium)('the demo shop with Flutterwave in a real browser', { timeout: 60_000 }, () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop();
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('Flutterwave: pays the naira scarf on the hosted page; the webhook is verified by id, then accepted', async () => {
    const page = await shop.page();
    // The only broker for naira: the card names it, there is nothing to choose.
    await buyWith(shop, page, 'adire', null);
    await page.waitForURL(/\/sandbox\/flutterwave\/v3\/hosted\/pay\//);
    await page.getByText('15000 NGN').waitFor();
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(/\/orders\//);
    // The redirect's status=successful proves nothing: the webhook (or the pull) verifies the transaction.
    await shop.demo.sandbox.flush();
    await page.getByText(ACCEPTED).waitFor();
    const [tx] = shop.demo.sandbox.flutterwave.transactions();
    expect(tx).toMatchObject({ status: 'successful', currency: 'NGN', amount: 15000 });
    await shop.screenshot(page, 'flutterwave-accepted');
  });
});
