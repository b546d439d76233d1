import { describe, expect, it } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import type { PaybridgeConfig } from '../src/config';
import { dummy } from '../src/dummy-backend';
import { ipInRange, resolveBaseUrl, resolveClientIp } from '../src/lib/trusted-proxy';
import { silentLogger } from '../src/logger';
import { createPaybridge } from '../src/paybridge';

const BASE = 'https://shop.example/payments';

function bridgeWith(config: Partial<PaybridgeConfig> = {}) {
  return createPaybridge({
    baseUrl: BASE,
    backends: [dummy({ signingKey: 'k'.repeat(32) })],
    logger: silentLogger,
    maxBodyBytes: 1024,
    orders: { resolve: () => ({ amount: 100, currency: 'EUR', description: 'x' }) },
    ...config,
  });
}

describe('every error is JSON with a stable code and the right status', () => {
  it.each<[string, RequestInit, number, string]>([
    [
      '/start',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2000) },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      '/backend/dummy/pay/p',
      { method: 'POST', body: 'action=pay&x='.padEnd(4000, 'x') },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['/return/dummy/p', { method: 'POST', body: 'y'.repeat(4000) }, 404, 'UNKNOWN_PAYMENT'],
    ['/status/%E0%A4%A', { method: 'GET' }, 400, 'BAD_REQUEST'],
    ['/status/pay_nope', { method: 'GET' }, 404, 'UNKNOWN_PAYMENT'],
    ['/status/pay_nope', { method: 'DELETE' }, 405, 'METHOD_NOT_ALLOWED'],
    ['/methods?currency=XYZ', { method: 'GET' }, 400, 'BAD_REQUEST'],
    ['/methods?currency=EUR&amount=1.5', { method: 'GET' }, 400, 'BAD_REQUEST'],
    ['/notify/nope', { method: 'POST', body: '{}' }, 404, 'UNKNOWN_BACKEND'],
    ['/backend/dummy/elsewhere', { method: 'GET' }, 404, 'NOT_FOUND'],
    [
      '/start',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"backend":"dummy"}' },
      400,
      'BAD_REQUEST',
    ],
  ])('%s (%o) → %d %s', async (path, init, status, code) => {
    const response = await bridgeWith().handler(new Request(`${BASE}${path}`, init));
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ error: { code, message: expect.any(String) } });
  });

  it('says which methods a route allows', async () => {
    const response = await bridgeWith().handler(new Request(`${BASE}/start`, { method: 'GET' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('never leaks an internal error text', async () => {
    const broken: PaymentBackend = {
      ...dummy({ signingKey: 'k'.repeat(32) }),
      async prepare() {
        throw new TypeError('cannot read properties of undefined (db password hunter2)');
      },
    };
    const response = await bridgeWith({ backends: [broken] }).handler(
      new Request(`${BASE}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"backend":"dummy","orderId":"o"}',
      }),
    );
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'BROKER_ERROR' } });
    expect(text).not.toContain('hunter2');
  });
});

describe('the dummy hosted page', () => {
  it('offers pay / pending / decline, and authorize only when configured', async () => {
    const bridge = bridgeWith();
    const { payment, redirect } = await bridge.startPayment({ backend: 'dummy', orderId: 'o' });
    const page = await (await bridge.handler(new Request(redirect.url))).text();
    expect(page).toMatch(/value="pay"[\s\S]*value="pending"[\s\S]*value="decline"/);
    expect(page).not.toContain('value="authorize"');
    const refused = await bridge.handler(
      new Request(redirect.url, { method: 'POST', body: new URLSearchParams({ action: 'authorize' }) }),
    );
    expect(refused.status).toBe(400);
    expect((await bridge.getPayment(payment.id))?.status).toBe('new');
    const unknown = await bridge.handler(new Request(`${BASE}/backend/dummy/pay/pay_nope`));
    expect(unknown.status).toBe(404);
  });
});

describe('trusted proxies, strictly', () => {
  it('refuses malformed ranges instead of silently widening them', () => {
    expect(ipInRange('8.8.8.8', '10.0.0.0/')).toBe(false);
    expect(ipInRange('8.8.8.8', '10.0.0.0/-1')).toBe(false);
    expect(ipInRange('8.8.8.8', '10.0.0.0/33')).toBe(false);
    expect(ipInRange('10.9.9.9', '10.0.0.0/8/8')).toBe(false);
    expect(ipInRange('10.9.9.9', '10.0.0.0/8')).toBe(true);
    expect(ipInRange('8.8.8.8', '0.0.0.0/0')).toBe(true);
    expect(() => bridgeWith({ trustProxy: ['10.0.0.0/8', '10.0.0.0/', 'proxy.local'] })).toThrow(
      /trustProxy: "10\.0\.0\.0\/".*trustProxy: "proxy\.local"/,
    );
  });

  it('takes the client from X-Forwarded-For through a chain of trusted proxies, IPv6 included', () => {
    const trusted = (ip: string) => ipInRange(ip, '10.0.0.0/8') || ipInRange(ip, 'fd00::/8');
    const headers = new Headers({ 'x-forwarded-for': '2001:db8::7, fd00::1, 10.1.1.1' });
    expect(resolveClientIp(headers, '10.0.0.2', trusted)).toBe('2001:db8::7');
    // A forged left-most entry is ignored: the right-most untrusted address is the client.
    const spoofed = new Headers({ 'x-forwarded-for': '1.2.3.4, 203.0.113.9' });
    expect(resolveClientIp(spoofed, '10.0.0.2', trusted)).toBe('203.0.113.9');
    // Garbage in the chain: stop at the proxy rather than trust it.
    expect(resolveClientIp(new Headers({ 'x-forwarded-for': 'unknown' }), '10.0.0.2', trusted)).toBe(
      '10.0.0.2',
    );
  });

  it('uses X-Forwarded-Proto and X-Forwarded-Host each on its own, only from a trusted peer', () => {
    const request = (headers: Record<string, string>) =>
      new Request('http://shop.example:8080/pay/start', { headers });
    expect(resolveBaseUrl(undefined, request({ 'x-forwarded-proto': 'https' }), '/pay', true)).toBe(
      'https://shop.example:8080/pay',
    );
    expect(resolveBaseUrl(undefined, request({ 'x-forwarded-host': 'public.example' }), '/pay', true)).toBe(
      'http://public.example/pay',
    );
    expect(
      resolveBaseUrl(
        undefined,
        request({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example' }),
        '/pay',
        false,
      ),
    ).toBe('http://shop.example:8080/pay');
    // Header injection attempts are ignored.
    expect(
      resolveBaseUrl(
        undefined,
        request({ 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'evil.example/path?x=' }),
        '/pay',
        true,
      ),
    ).toBe('http://shop.example:8080/pay');
    // A configured baseUrl always wins.
    expect(resolveBaseUrl(BASE, request({ 'x-forwarded-host': 'evil.example' }), '/pay', true)).toBe(BASE);
  });
});
