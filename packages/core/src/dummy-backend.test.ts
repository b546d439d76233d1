import { describe, expect, it } from 'vitest';
import { dummy } from './dummy-backend';
import { silentLogger } from './logger';
import { createPaybridge } from './paybridge';
import { runBackendConformance } from './testing/backend-conformance';

runBackendConformance({
  name: 'dummy',
  factory: dummy,
  validSettings: { signingKey: 'a-signing-key-of-32-characters!!' },
  invalidSettings: { signingKey: 'short', currencies: ['euro'] },
  secretFields: ['signingKey'],
  currency: 'EUR',
});

describe('issue 14 item 9: the dummy page takes only its own form (Origin check)', () => {
  const BASE = 'https://shop.example/payments';
  const start = async () => {
    const bridge = createPaybridge({
      baseUrl: BASE,
      backends: [dummy({ signingKey: 'a-signing-key-of-32-characters!!' })],
      logger: silentLogger,
      orders: { resolve: () => ({ amount: 1999, currency: 'EUR', description: 'A book' }) },
    });
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'order-1' });
    const press = (headers: Record<string, string>) =>
      bridge.handler(
        new Request(`${BASE}/backend/dummy/pay/${payment.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: 'action=pay',
        }),
      );
    return { bridge, id: payment.id, press };
  };

  it.each([
    ['another site’s Origin', { origin: 'https://evil.example' }],
    ['Origin "null" (a sandboxed or no-referrer page elsewhere)', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    [
      'Sec-Fetch-Site: same-site, even with our Origin',
      { 'sec-fetch-site': 'same-site', origin: 'https://shop.example' },
    ],
  ])('refuses a cross-site POST (%s) with 403 and leaves the payment new', async (_label, headers) => {
    const { bridge, id, press } = await start();
    const response = await press(headers);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('CROSS_ORIGIN_REQUEST');
    expect((await bridge.getPayment(id))?.status).toBe('new');
  });

  it.each([
    [
      'Sec-Fetch-Site: same-origin (Origin "null" under no-referrer)',
      { 'sec-fetch-site': 'same-origin', origin: 'null' },
    ],
    ['our own Origin', { origin: 'https://shop.example' }],
    ['no browser headers at all (a script)', {}],
  ])('takes the page’s own form (%s)', async (_label, headers) => {
    const { bridge, id, press } = await start();
    expect((await press(headers)).status).toBe(303);
    expect((await bridge.getPayment(id))?.status).toBe('paid');
  });
});
