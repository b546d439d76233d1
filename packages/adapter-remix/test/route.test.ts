import { describe, expect, it } from 'vitest';
import { BASE, remixShop, SHOP, signedNotification, startRequest } from './support/remix-shop';

describe('createPaybridgeRoute through Remix’s request handler', () => {
  it('starts a payment and completes it on the hosted page', async () => {
    const { handle } = remixShop();
    const started = await handle(startRequest(), { clientIp: '203.0.113.9' });
    expect(started.status).toBe(200);
    const { payment, redirect } = (await started.json()) as {
      payment: { id: string };
      redirect: { url: string };
    };
    // The bridge saw the untouched URL: its links carry the route's mount path.
    expect(redirect.url).toBe(`${BASE}/backend/dummy/pay/${payment.id}`);

    const page = await handle(new Request(redirect.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Dummy payment');

    const paid = await handle(
      new Request(redirect.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'action=pay',
      }),
    );
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`${BASE}/return/dummy/${payment.id}`);

    const status = await handle(new Request(`${BASE}/status/${payment.id}`));
    expect(await status.json()).toMatchObject({ id: payment.id, status: 'paid', settled: true });

    const back = await handle(new Request(`${BASE}/return/dummy/${payment.id}`));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`${SHOP}/thanks?payment=${payment.id}`);
  });

  it('passes a notification’s raw bytes through, so the signature verifies', async () => {
    const { handle, seen } = remixShop();
    const { payment } = (await (await handle(startRequest())).json()) as { payment: { id: string } };
    const { body, signature } = await signedNotification(payment.id);
    const notify = (text: string) =>
      handle(
        new Request(`${BASE}/notify/dummy`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-dummy-signature': signature },
          body: text,
        }),
        { clientIp: '198.51.100.20' },
      );

    const tampered = await notify(body.replace('\t', ' '));
    expect(tampered.status).toBe(400);
    const accepted = await notify(body);
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toBe('OK');
    expect(seen.notification).toEqual(['198.51.100.20', '198.51.100.20']);
    const status = await handle(new Request(`${BASE}/status/${payment.id}`));
    expect(await status.json()).toMatchObject({ status: 'paid' });
  });

  it('takes the client IP from the load context and ignores X-Forwarded-For by default', async () => {
    const { handle, seen } = remixShop();
    await handle(startRequest({ 'x-forwarded-for': '10.1.1.1' }), { clientIp: '203.0.113.9' });
    await handle(startRequest());
    expect(seen.prepare).toEqual(['203.0.113.9', null]);
  });

  it('believes X-Forwarded-For only from a trusted proxy', async () => {
    const { handle, seen } = remixShop({ trustProxy: ['10.0.0.0/8'] });
    await handle(startRequest({ 'x-forwarded-for': '203.0.113.7' }), { clientIp: '10.0.0.2' });
    await handle(startRequest({ 'x-forwarded-for': '203.0.113.7' }), { clientIp: '198.51.100.1' });
    expect(seen.prepare).toEqual(['203.0.113.7', '198.51.100.1']);
  });

  it('uses a custom getClientIp', async () => {
    const { handle, seen } = remixShop({
      route: { getClientIp: ({ context }) => (context as { peer: string }).peer },
    });
    await handle(startRequest(), { peer: '192.0.2.44' });
    expect(seen.prepare).toEqual(['192.0.2.44']);
  });

  it('answers the bridge’s JSON errors as plain responses', async () => {
    const { handle } = remixShop();
    const unknown = await handle(new Request(`${BASE}/status/pay_nope`));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'UNKNOWN_PAYMENT', message: 'no such payment' } });
    const wrongMethod = await handle(new Request(`${BASE}/start`, { method: 'DELETE' }));
    expect(wrongMethod.status).toBe(405);
    expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
  });
});
