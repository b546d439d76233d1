import { describe, expect, it } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import type { ButtonConfig } from '../src/button';
import type { PaybridgeConfig } from '../src/config';
import { dummy } from '../src/dummy-backend';
import { fromBase64Url, toBase64Url, utf8 } from '../src/lib/bytes';
import { ipInRange, resolveClientIp } from '../src/lib/trusted-proxy';
import { silentLogger } from '../src/logger';
import { createPaybridge } from '../src/paybridge';

const BASE = 'https://shop.example/payments';
const SECRET = 'a-very-long-button-signing-secret-of-40-chars';

const plnOnly: PaymentBackend = {
  ...dummy({ signingKey: 'x'.repeat(32), currencies: ['PLN'] }),
  id: 'pln-only',
  displayName: 'PLN Only',
  amountLimits: [{ currency: 'PLN', min: 100, max: 100_000 }],
};

function bridgeWith(config: Partial<PaybridgeConfig> = {}) {
  return createPaybridge({
    baseUrl: BASE,
    backends: [dummy({ signingKey: 'k'.repeat(32), currencies: ['EUR', 'PLN'] }), plnOnly],
    logger: silentLogger,
    secret: SECRET,
    ...config,
  });
}

const button: ButtonConfig = {
  reference: 'INV-2026-0001',
  orderDate: '2026-11-23',
  email: 'buyer@example.com',
  language: 'fr',
  options: [
    { id: 'one', description: 'One issue', amount: 500, currency: 'EUR', customFields: { size: 'M' } },
    {
      id: 'year',
      description: 'A year',
      amount: 5000,
      currency: 'EUR',
      recurrence: { interval: 'month', every: 12 },
    },
  ],
  acceptedUrl: 'https://shop.example/accepted',
  declinedUrl: 'https://shop.example/declined',
};

describe('GET /methods: availability with reasons', () => {
  it('lists usable backends and, for each one left out, why', async () => {
    const bridge = bridgeWith();
    const response = await bridge.handler(new Request(`${BASE}/methods?currency=EUR&amount=1000`));
    expect(await response.json()).toEqual({
      available: [{ id: 'dummy', displayName: 'Dummy', testMode: true }],
      unavailable: [
        {
          id: 'pln-only',
          displayName: 'PLN Only',
          reasons: [{ code: 'CURRENCY', message: expect.stringContaining('EUR') }],
        },
      ],
    });
    const recurring = bridge.availableBackends({ currency: 'PLN', amount: 50, recurring: true });
    expect(recurring.available).toEqual([]);
    expect(recurring.unavailable.find((u) => u.id === 'pln-only')?.reasons.map((r) => r.code)).toEqual([
      'CAPABILITY',
      'AMOUNT_LIMIT',
    ]);
    const bad = await bridge.handler(new Request(`${BASE}/methods?currency=euro`));
    expect(bad.status).toBe(400);
  });
});

describe('signed payment buttons', () => {
  it('starts a payment from a signed button and option, with the order snapshot', async () => {
    const bridge = bridgeWith();
    const token = await bridge.signButton(button);
    const response = await bridge.handler(
      new Request(`${BASE}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'dummy', button: token, option: 0, amount: 1 }),
      }),
    );
    expect(response.status).toBe(200);
    const { payment } = (await response.json()) as { payment: { id: string; amount: number } };
    expect(payment.amount).toBe(500);
    const stored = await bridge.getPayment(payment.id);
    expect(stored).toMatchObject({
      orderId: 'INV-2026-0001',
      currency: 'EUR',
      description: 'One issue',
      buyer: { email: 'buyer@example.com', language: 'fr' },
      order: { reference: 'INV-2026-0001', date: '2026-11-23', option: 'one', customFields: { size: 'M' } },
      successUrl: 'https://shop.example/accepted',
      failureUrl: 'https://shop.example/declined',
    });
  });

  it('refuses a tampered token', async () => {
    const bridge = bridgeWith();
    const token = await bridge.signButton(button);
    const [payload, mac] = token.split('.');
    const json = JSON.parse(new TextDecoder().decode(fromBase64Url(payload as string))) as ButtonConfig;
    (json.options[0] as { amount: number }).amount = 1;
    const forged = `${toBase64Url(utf8(JSON.stringify(json)))}.${mac}`;
    for (const bad of [forged, `${payload}.AAAA`, 'garbage', `${token}.extra`]) {
      const response = await bridge.handler(
        new Request(`${BASE}/start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ backend: 'dummy', button: bad, option: 0 }),
        }),
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'INVALID_BUTTON' } });
    }
    await expect(bridgeWith({ secret: 'b'.repeat(40) }).verifyButton(token)).rejects.toMatchObject({
      code: 'INVALID_BUTTON',
    });
  });

  it('refuses an expired button and a backend the button does not offer', async () => {
    const bridge = bridgeWith();
    const expired = await bridge.signButton({ ...button, expiresAt: '2020-01-01T00:00:00Z' });
    await expect(bridge.startPayment({ backend: 'dummy', button: expired, option: 0 })).rejects.toMatchObject(
      {
        code: 'INVALID_BUTTON',
      },
    );
    const restricted = await bridge.signButton({ ...button, paymentOptions: { backends: ['pln-only'] } });
    await expect(
      bridge.startPayment({ backend: 'dummy', button: restricted, option: 0 }),
    ).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
    });
  });

  it('a recurring option needs a backend with the recurring capability', async () => {
    const bridge = bridgeWith();
    const token = await bridge.signButton(button);
    await expect(
      bridge.startPayment({ backend: 'dummy', button: token, option: 'year' }),
    ).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
    });
  });
});

describe('POST /start', () => {
  it('answers 303 for a GET gateway when JSON is not asked for, and never takes an amount from the browser', async () => {
    const bridge = bridgeWith({
      orders: { resolve: () => ({ amount: 1234, currency: 'EUR', description: 'x' }) },
    });
    const response = await bridge.handler(
      new Request(`${BASE}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'backend=dummy&orderId=o1&amount=1',
      }),
    );
    expect(response.status).toBe(303);
    const id = (response.headers.get('location') as string).split('/').pop() as string;
    expect((await bridge.getPayment(id))?.amount).toBe(1234);
  });

  it('gives clear JSON errors', async () => {
    const bridge = bridgeWith({ orders: { resolve: () => null } });
    const cases: Array<[RequestInit, number, string]> = [
      [{ method: 'GET' }, 405, 'METHOD_NOT_ALLOWED'],
      [
        { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }, 400, 'BAD_REQUEST'],
      [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"backend":"nope","orderId":"o"}',
        },
        404,
        'UNKNOWN_BACKEND',
      ],
      [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"backend":"dummy","orderId":"o"}',
        },
        404,
        'UNKNOWN_ORDER',
      ],
    ];
    for (const [init, status, code] of cases) {
      const response = await bridge.handler(new Request(`${BASE}/start`, init));
      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({ error: { code } });
    }
    const route = await bridge.handler(new Request(`${BASE}/nothing-here`));
    expect(route.status).toBe(404);
  });

  it('reports every configuration problem at once', () => {
    expect(() =>
      createPaybridge({ baseUrl: 'not a url', backends: [], secret: 'short', logger: silentLogger }),
    ).toThrow(/backends.*baseUrl.*secret/);
  });
});

describe('routing', () => {
  it('routes below a configured mount path that itself contains a route word', async () => {
    const bridge = createPaybridge({
      baseUrl: 'https://shop.example/status/payments',
      backends: [dummy({ signingKey: 'k'.repeat(32) })],
      logger: silentLogger,
      orders: { resolve: () => ({ amount: 100, currency: 'EUR', description: 'x' }) },
    });
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'o' });
    const response = await bridge.handler(
      new Request(`https://shop.example/status/payments/status/${payment.id}`),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: payment.id, status: 'new' });
  });

  it('reads a string option as an option id, and a number as an index', async () => {
    const bridge = bridgeWith();
    const token = await bridge.signButton({
      ...button,
      options: [
        { id: '12', description: 'Twelve', amount: 1200, currency: 'EUR' },
        { description: 'Second', amount: 200, currency: 'EUR' },
      ],
    });
    const start = async (option: unknown) => {
      const response = await bridge.handler(
        new Request(`${BASE}/start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ backend: 'dummy', button: token, option }),
        }),
      );
      return ((await response.json()) as { payment?: { amount: number } }).payment?.amount;
    };
    expect(await start('12')).toBe(1200);
    expect(await start(1)).toBe(200);
    expect(await start('1')).toBe(200);
  });
});

describe('trusted proxies', () => {
  it('matches IPv4 and IPv6 ranges', () => {
    expect(ipInRange('10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(ipInRange('11.1.2.3', '10.0.0.0/8')).toBe(false);
    expect(ipInRange('::ffff:10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(ipInRange('2001:db8::1', '2001:db8::/32')).toBe(true);
    expect(ipInRange('2001:db9::1', '2001:db8::/32')).toBe(false);
    expect(ipInRange('::1', '::1')).toBe(true);
    expect(ipInRange('not-an-ip', '10.0.0.0/8')).toBe(false);
  });

  it('takes X-Forwarded-For only from a trusted peer, right to left', () => {
    const headers = new Headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.2' });
    const trusted = (ip: string) => ipInRange(ip, '10.0.0.0/8');
    expect(resolveClientIp(headers, '10.0.0.1', trusted)).toBe('203.0.113.9');
    expect(resolveClientIp(headers, '198.51.100.4', trusted)).toBe('198.51.100.4');
    expect(resolveClientIp(new Headers(), '::ffff:10.0.0.1', trusted)).toBe('10.0.0.1');
  });

  it('builds absolute URLs from forwarded headers only behind a trusted proxy', async () => {
    const seen: Array<string | null> = [];
    const spy: PaymentBackend = {
      ...dummy({ signingKey: 'k'.repeat(32) }),
      async prepare(_payment, ctx) {
        seen.push(ctx.clientIp);
        return { redirect: { method: 'GET', url: ctx.notifyUrl } };
      },
    };
    const make = (trustProxy: PaybridgeConfig['trustProxy']) =>
      createPaybridge({
        basePath: '/pay',
        backends: [spy],
        logger: silentLogger,
        trustProxy,
        orders: { resolve: () => ({ amount: 100, currency: 'EUR', description: 'x' }) },
      });
    const request = () =>
      new Request('http://internal:3000/pay/start', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-forwarded-for': '203.0.113.50',
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'shop.example',
        },
        body: JSON.stringify({ backend: 'dummy', orderId: 'o' }),
      });
    const behindProxy = await make(['10.0.0.0/8']).handler(request(), { clientIp: '10.0.0.7' });
    expect(((await behindProxy.json()) as { redirect: { url: string } }).redirect.url).toBe(
      'https://shop.example/pay/notify/dummy',
    );
    const direct = await make(false).handler(request(), { clientIp: '198.51.100.9' });
    expect(((await direct.json()) as { redirect: { url: string } }).redirect.url).toBe(
      'http://internal:3000/pay/notify/dummy',
    );
    expect(seen).toEqual(['203.0.113.50', '198.51.100.9']);
  });
});

describe('a body handed over by the adapter (HandlerOptions.body)', () => {
  const chunks = async function* (...parts: string[]) {
    for (const part of parts) yield utf8(part);
  };

  it('is read instead of request.body, chunk by chunk, once', async () => {
    const bridge = bridgeWith({
      orders: { resolve: () => ({ amount: 1999, currency: 'EUR', description: 'A book' }) },
    });
    // The Request carries other bytes (an adapter hands over the body only when the Request's is unread).
    const request = new Request(`${BASE}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: 'not json',
    });
    const response = await bridge.handler(request, {
      body: chunks('{"backend":', '"dummy","orderId"', ':"order-1"}'),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { payment: { amount: number } }).payment.amount).toBe(1999);
    expect(request.bodyUsed).toBe(false);
  });

  it('is held to the same size limit while it is read (413), and left unread after', async () => {
    const bridge = bridgeWith({ maxBodyBytes: 10 });
    let pulled = 0;
    const endless = (async function* () {
      for (;;) {
        pulled++;
        yield utf8('0123456789');
      }
    })();
    const response = await bridge.handler(
      new Request(`${BASE}/start`, { method: 'POST', headers: { 'content-type': 'application/json' } }),
      { body: endless },
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(pulled).toBe(2);
    expect(await endless.next()).toEqual({ done: true, value: undefined });
  });
});
