import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyWith, hasChromium, type Shop, startShop } from './harness';

const ACCEPTED = 'Payment accepted';

describe.runIf(hasChromium)('the demo shop with Przelewy24 in a real browser', { timeout: 60_000 }, () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop();
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('Przelewy24: pays the złoty T-shirt with BLIK; verified by the backend, then accepted', async () => {
    const page = await shop.page();
    await buyWith(shop, page, 'tshirt', 'Przelewy24');
    await page.waitForURL(/\/sandbox\/przelewy24\/trnRequest\//);
    await page.getByText('79.00 PLN').waitFor();
    await page.getByRole('button', { name: 'Pay with BLIK', exact: true }).click();
    await page.waitForURL(/\/orders\//);
    // The return alone proves nothing: the pull (or the notification) verifies the transaction with P24.
    await shop.demo.sandbox.flush();
    await page.getByText(ACCEPTED).waitFor();
    const [tx] = shop.demo.sandbox.przelewy24.transactions();
    expect(tx?.status).toBe(2);
    await shop.screenshot(page, 'przelewy24-accepted');
  });
});
