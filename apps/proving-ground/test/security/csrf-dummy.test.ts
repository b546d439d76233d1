import { describe, expect, it } from 'vitest';
import { createWorld, SHOP } from './world';

/**
 * Issue 14 item 9, the part in core: the dummy broker's hosted page marks a payment paid from a form
 * post, so another site's page must not be able to post it (CSRF). Browsers send Sec-Fetch-Site or
 * Origin on every POST; only the bridge's own origin may confirm.
 */
const page = (paymentId: string, headers: Record<string, string>) =>
  new Request(`${SHOP}/backend/dummy/pay/${paymentId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'action=pay',
  });

describe('issue 14 item 9: the dummy page refuses cross-site confirmations', () => {
  it('issue 14 item 9: another site’s form cannot mark a dummy payment paid', async () => {
    const world = createWorld();
    const { paymentId } = await world.start('dummy', 'dummy-1');
    const before = await world.snapshot();
    const attempts: Array<Record<string, string>> = [
      { origin: 'https://evil.test' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'https://sub.shop.test' },
    ];
    for (const headers of attempts) {
      const response = await world.send(page(paymentId, headers));
      expect([headers, response.status]).toEqual([headers, 403]);
    }
    const { logged } = await world.expectUnchanged(before);
    expect(logged).toEqual([]);
    // The control: the page's own form pays.
    const own = await world.send(
      page(paymentId, { origin: 'https://shop.test', 'sec-fetch-site': 'same-origin' }),
    );
    expect(own.status).toBe(303);
    expect((await world.store.getPayment(paymentId))?.status).toBe('paid');
  });
});
