import { describe, expect, it } from 'vitest';
import { dummy } from '../src/dummy-backend';
import { randomId, toHex, utf8 } from '../src/lib/bytes';
import { hmac } from '../src/lib/hashes';
import { silentLogger } from '../src/logger';
import { createPaybridge } from '../src/paybridge';
import { runBackendConformance } from '../src/testing/backend-conformance';

const SIGNING_KEY = 'a-signing-key-of-32-characters!!';

/** A notification of the dummy broker, signed with the key as the hosted page signs its own. */
async function dummyNotification(notifyUrl: string, fields: Record<string, unknown>): Promise<Request> {
  const body = JSON.stringify({ eventId: randomId('evt', 8), ...fields });
  const signature = toHex(await hmac('SHA-256', utf8(SIGNING_KEY), utf8(body)));
  return new Request(notifyUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-dummy-signature': signature },
    body,
  });
}

runBackendConformance({
  name: 'dummy',
  factory: dummy,
  validSettings: { signingKey: SIGNING_KEY },
  invalidSettings: { signingKey: 'short', currencies: ['euro'] },
  secretFields: ['signingKey'],
  currency: 'EUR',
  binding: {
    // The payment's own transaction is the one `prepare` opened (its externalId).
    paid: (payment, notifyUrl) =>
      dummyNotification(notifyUrl, {
        paymentId: payment.id,
        action: 'pay',
        amount: payment.amount,
        currency: payment.currency,
        transaction: payment.externalId,
      }),
    otherFailed: (payment, notifyUrl) =>
      dummyNotification(notifyUrl, {
        paymentId: payment.id,
        action: 'decline',
        amount: payment.amount,
        currency: payment.currency,
        transaction: 'dmytx_another-transaction',
      }),
  },
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
