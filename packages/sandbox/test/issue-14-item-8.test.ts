import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../src/index';
import { BASE, BUY_NOW, checkoutPath, setup } from './support';

const LIMIT = 1024;

/** A body of `size` bytes, streamed without a Content-Length (an endless body is refused the same way). */
function streamed(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = new Uint8Array(Math.min(256, size - sent)).fill(0x61);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

const ENDPOINTS = [
  '/paypal/cgi-bin/webscr',
  '/paypal/checkout/abc',
  '/payu/pl/standard/user/oauth/authorize',
  '/payu/api/v2_1/orders',
  '/payu/pay/?orderId=x&token=y',
  '/cmcic/paiement.cgi',
  '/cmcic/test/paiement.cgi',
  '/cmcic/session/abc',
  '/_control/deliver',
];

describe('issue 14 item 8: body limits and Origin checks on the sandbox endpoints', () => {
  it('issue 14 item 8: every endpoint answers 413 past the limit, declared or streamed', async () => {
    const { sandbox } = setup({ maxBodyBytes: LIMIT });
    for (const path of ENDPOINTS) {
      const declared = await sandbox.handler(
        new Request(`${BASE}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(LIMIT + 1),
          },
          body: 'a'.repeat(LIMIT + 1),
        }),
      );
      expect(declared.status, path).toBe(413);
      const endless = await sandbox.handler(
        new Request(`${BASE}${path}`, {
          method: 'POST',
          body: streamed(50 * LIMIT),
          duplex: 'half',
        } as RequestInit),
      );
      expect(endless.status, path).toBe(413);
    }
    const control = await sandbox.handler(
      new Request(`${BASE}/_control/advance`, { method: 'POST', body: 'a'.repeat(LIMIT + 1) }),
    );
    expect(await control.json()).toEqual({
      error: { code: 'BODY_TOO_LARGE', message: `The request body is larger than ${LIMIT} bytes.` },
    });
  });

  it('issue 14 item 8: a body at the limit is still served', async () => {
    const { sandbox } = setup({ maxBodyBytes: LIMIT });
    const json = '{"ms":0}';
    const body = json + ' '.repeat(LIMIT - json.length);
    const atLimit = await sandbox.handler(
      new Request(`${BASE}/_control/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
    );
    expect(atLimit.status).toBe(200);
    const overLimit = await sandbox.handler(
      new Request(`${BASE}/_control/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `${body} `,
      }),
    );
    expect(overLimit.status).toBe(413);
  });

  it('issue 14 item 8: the default limit is the bridge’s 256 KiB', async () => {
    const { sandbox } = setup();
    const response = await sandbox.handler(
      new Request(`${BASE}/paypal/cgi-bin/webscr`, { method: 'POST', body: 'a'.repeat(256 * 1024 + 1) }),
    );
    expect(response.status).toBe(413);
  });

  it('issue 14 item 8: cross-site pay/cancel posts on the hosted pages are refused and change nothing', async () => {
    const { sandbox, form, payuToken, payuOrder } = setup();
    const evil = { origin: 'https://evil.example' };
    // PayPal checkout
    const page = await (await form('/paypal/cgi-bin/webscr', BUY_NOW)).text();
    const paypalAction = checkoutPath(page);
    expect((await form(paypalAction, { action: 'pay' }, evil)).status).toBe(403);
    expect((await form(paypalAction, { action: 'pay' }, { 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );
    expect((await form(paypalAction, { action: 'pay' }, { origin: 'null' })).status).toBe(403);
    expect(sandbox.paypal.transactions()).toEqual([]);
    expect((await form(paypalAction, { action: 'pay' }, { origin: 'http://sandbox.test' })).status).toBe(200);
    expect(sandbox.paypal.transactions()).toHaveLength(1);
    // PayU hosted page
    const { orderId, redirectUri } = await payuOrder(await payuToken());
    const payuPath = redirectUri.slice(BASE.length);
    expect((await form(payuPath, { action: 'pay' }, evil)).status).toBe(403);
    expect(sandbox.payu.orders().find((order) => order.id === orderId)?.status).toBe('NEW');
    expect(
      (await form(payuPath, { action: 'pay' }, { origin: 'http://sandbox.test', host: 'sandbox.test' }))
        .status,
    ).toBe(303);
  });

  it('issue 14 item 8: the CM-CIC card form refuses a cross-site post; an empty card shows an error', async () => {
    const { createTestMerchant } = await import('../src/cmcic/test-merchant');
    const merchant = createTestMerchant();
    const start = await merchant.post(merchant.form());
    const id = start.headers.get('x-sandbox-session') as string;
    const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      merchant.sandbox.handler(
        new Request(`${BASE}/cmcic/session/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams(fields).toString(),
        }),
      );
    const card = { action: 'pay', card: TEST_CARDS.accepted, expiry: '12/40', cvv: '123' };
    expect((await post(card, { origin: 'https://evil.example' })).status).toBe(403);
    const empty = await post({ action: 'pay', card: '', expiry: '', cvv: '123' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Veuillez saisir le numéro de carte.');
    const noExpiry = await post({ action: 'pay', card: TEST_CARDS.accepted, expiry: '', cvv: '123' });
    expect(await noExpiry.text()).toContain('Veuillez saisir la date de validité.');
    const invalid = await post({ action: 'pay', card: '1234', expiry: '12/40', cvv: '123' });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('Numéro de carte incorrect.');
    await merchant.sandbox.flush();
    expect(merchant.received).toHaveLength(0);
    const paid = await post(card, { origin: 'http://sandbox.test' });
    expect(await paid.text()).toContain('Paiement accepté');
  });
});
