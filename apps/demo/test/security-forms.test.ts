import { silentLogger } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../src/guards';
import { BASE, setupDemo, TEST_BUYER } from './support/demo';

type Demo = ReturnType<typeof setupDemo>;

const form = (size: number) => `product=giftbox&backend=payu-eur&pad=${'x'.repeat(size)}`;
/** A body streamed in 64 KiB chunks with no Content-Length (chunked), `total` bytes in all. */
const streamed = (total: number) => {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const chunk = new Uint8Array(Math.min(64 * 1024, total - sent)).fill(120);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
};
const post = (t: Demo, path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  t.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);

async function paidPayu(t: Demo) {
  const { paymentId, redirect } = await t.startButton('tshirt', 'payu');
  const { session } = await t.openHostedPage(redirect);
  await t.sandbox.payu.act(session, 'pay');
  await t.sandbox.flush();
  expect((await t.payment(paymentId)).status).toBe('paid');
  return paymentId;
}

/** The split form as the test browser: the store credit page of a new gift box order. */
async function walletPage(t: Demo) {
  const start = await t.postForm('/split', { product: 'giftbox', backend: 'payu-eur' });
  expect(start.status).toBe(303);
  const url = start.headers.get('location') as string;
  const paymentId = url.split('/').pop() as string;
  return { url, paymentId };
}

describe('issue 14 item 8: body limits on the demo’s own forms', () => {
  const tooBig = MAX_BODY_BYTES + 1;

  it('issue 14 item 8: refuses a body over the bridge’s limit with 413 on every form, declared or streamed', async () => {
    const t = setupDemo();
    const paymentId = await paidPayu(t);
    for (const path of [
      '/split',
      '/orders/giftbox-0-00000000000000000000000000000000/pay-rest',
      `/admin/payments/${paymentId}/refund`,
      '/admin/sandbox/advance',
      '/payments/start',
    ]) {
      const declared = await post(t, path, form(tooBig));
      expect([path, declared.status]).toEqual([path, 413]);
      expect(await declared.text()).toContain('PAYLOAD_TOO_LARGE');
      const chunked = await post(t, path, streamed(4 * tooBig));
      expect([path, chunked.status]).toEqual([path, 413]);
    }
    expect((await t.payment(paymentId)).amountRefunded).toBe(0);
    expect((await t.bridge.store.listPayments({ limit: 10 })).items).toHaveLength(1);
  });

  it('issue 14 item 8: the store credit page refuses an oversized confirmation with 413 and spends nothing', async () => {
    const t = setupDemo();
    const { url, paymentId } = await walletPage(t);
    const response = await post(t, url, `action=confirm&pad=${'x'.repeat(tooBig)}`);
    expect(response.status).toBe(413);
    expect((await t.payment(paymentId)).status).toBe('new');
    expect(await t.ledger.balance(TEST_BUYER, 'EUR')).toBe(1000);
  });

  it('issue 14 item 8: a form under the limit is still served', async () => {
    const t = setupDemo();
    const response = await post(t, '/split', form(MAX_BODY_BYTES - 1000));
    expect(response.status).toBe(303);
  });
});

describe('issue 14 item 9: admin password and Origin checks', () => {
  it('issue 14 item 9: the admin is locked without a password or an explicit DEMO_ADMIN_OPEN, whatever the bind address', async () => {
    for (const env of [{}, { HOST: '127.0.0.1' }, { DEMO_ADMIN_OPEN: 'yes please' }] as Array<
      Record<string, string>
    >) {
      const t = setupDemo(undefined, env, { admin: undefined });
      const paymentId = await paidPayu(t);
      for (const path of ['/admin', '/admin/setup', `/admin/payments/${paymentId}`]) {
        const response = await t.request(path);
        expect([path, response.status]).toEqual([path, 403]);
        expect(await response.text()).toContain('DEMO_ADMIN_PASSWORD');
      }
      expect((await t.postForm(`/admin/payments/${paymentId}/refund`, {})).status).toBe(403);
      expect((await t.payment(paymentId)).amountRefunded).toBe(0);
    }
    const open = setupDemo(undefined, { DEMO_ADMIN_OPEN: '1' }, { admin: undefined });
    expect((await open.request('/admin')).status).toBe(200);
  });

  it('issue 14 item 9: a cross-site form cannot refund a paid payment, even with the admin’s password', async () => {
    const t = setupDemo(undefined, {}, { admin: { password: 'the-admin-password' } });
    const paymentId = await paidPayu(t);
    const authorization = `Basic ${Buffer.from('admin:the-admin-password').toString('base64')}`;
    const refund = (headers: Record<string, string>) =>
      post(t, `/admin/payments/${paymentId}/refund`, 'amount=', { authorization, ...headers });
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: '', 'sec-fetch-site': 'cross-site' },
      { origin: '', 'sec-fetch-site': 'same-site' },
      // Neither header: no browser sends a POST so; refused rather than guessed.
      { origin: '' },
    ] as Array<Record<string, string>>) {
      const response = await refund(headers);
      expect([headers, response.status]).toEqual([headers, 403]);
      expect(await response.text()).toContain('CROSS_ORIGIN_REQUEST');
    }
    expect((await t.payment(paymentId)).amountRefunded).toBe(0);
    const own = await refund({ origin: '', 'sec-fetch-site': 'same-origin' });
    expect(own.headers.get('location')).toContain('ok=refund');
    await t.sandbox.payu.finalizeRefunds();
    await t.sandbox.flush();
    expect((await t.payment(paymentId)).amountRefunded).toBe(7900);
  });

  it('issue 14 item 9: the shop’s forms refuse a cross-site POST and start nothing', async () => {
    const t = setupDemo();
    const evil = { origin: 'https://evil.example' };
    expect((await post(t, '/split', 'product=giftbox&backend=payu-eur', evil)).status).toBe(403);
    const { orderId } = await t.startButton('mug', 'payu-eur');
    expect((await post(t, `/orders/${orderId}/pay-rest`, 'backend=paypal', evil)).status).toBe(403);
    expect((await post(t, '/payments/start', `backend=paypal&orderId=${orderId}`, evil)).status).toBe(403);
    expect((await t.bridge.store.listPayments({ limit: 10 })).items).toHaveLength(1);
  });

  it('issue 14 item 9: the store credit page refuses a cross-site confirmation', async () => {
    const warnings: Array<{ message: string; code: unknown }> = [];
    const logger = {
      ...silentLogger,
      warn: (message: string, fields?: Record<string, unknown>) => {
        warnings.push({ message, code: fields?.code });
      },
    };
    const t = setupDemo(undefined, {}, { logger });
    const { url, paymentId } = await walletPage(t);
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: '', 'sec-fetch-site': 'cross-site' },
      { origin: '' },
    ] as Array<Record<string, string>>) {
      const response = await post(t, url, 'action=confirm', headers);
      expect([headers, response.status]).toEqual([headers, 403]);
    }
    expect((await t.payment(paymentId)).status).toBe('new');
    expect(await t.ledger.balance(TEST_BUYER, 'EUR')).toBe(1000);
    expect(warnings).toContainEqual({ message: 'store credit page refused', code: 'CROSS_ORIGIN_REQUEST' });
    const own = await post(t, url, 'action=confirm', { origin: '', 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(303);
    expect((await t.payment(paymentId)).status).toBe('paid');
  });

  it('issue 14 item 9: the store credit page serves a payment only to the buyer who started it', async () => {
    const t = setupDemo();
    const { url, paymentId } = await walletPage(t);
    const other = `demo_buyer=${'0f'.repeat(16)}`;
    for (const cookie of [other, '']) {
      const page = await t.request(url, { headers: { cookie } });
      expect(page.status).toBe(403);
      expect(await page.text()).not.toContain('Your balance');
      const confirm = await post(t, url, 'action=confirm', { cookie });
      expect(confirm.status).toBe(403);
    }
    expect((await t.payment(paymentId)).status).toBe('new');
    expect(await t.ledger.balance(TEST_BUYER, 'EUR')).toBe(1000);
    // The buyer's own browser still pays.
    expect((await post(t, url, 'action=confirm')).status).toBe(303);
    expect(await t.ledger.balance(TEST_BUYER, 'EUR')).toBe(0);
  });

  it('gives each browser its own buyer id cookie (HttpOnly, SameSite=Lax) and store credit', async () => {
    const t = setupDemo();
    const first = await t.request('/', { headers: { cookie: '' } });
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^demo_buyer=[0-9a-f]{32}; Path=\/; HttpOnly; SameSite=Lax/);
    expect((await t.request('/')).headers.get('set-cookie')).toBeNull();
    expect(BASE.startsWith('http:') && !cookie.includes('Secure')).toBe(true);
    // A first visit straight to the split form: the new buyer id already owns the payment it starts.
    const split = await post(t, '/split', 'product=giftbox&backend=payu-eur', { cookie: '' });
    expect(split.status).toBe(303);
    const fresh = /^demo_buyer=([0-9a-f]{32})/.exec(split.headers.get('set-cookie') ?? '')?.[1];
    expect(fresh).toBeDefined();
    const page = await t.request(split.headers.get('location') as string, {
      headers: { cookie: `demo_buyer=${fresh}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Your balance: <strong>€10.00</strong>');
  });
});
