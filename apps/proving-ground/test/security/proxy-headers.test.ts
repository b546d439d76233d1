import type { TrustProxy } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { createWorld, PEER, type WorldOptions } from './world';

/**
 * Proxy-header spoofing. The client's address (sent to PayU as `customerIp`, the buyer's IP its fraud
 * checks rely on) comes from the TCP peer, or from X-Forwarded-For only through proxies the merchant
 * declared; absolute URLs (notify/return URLs given to the broker) come from `baseUrl`, or from
 * X-Forwarded-Proto/Host only behind a trusted proxy (DESIGN.md §3).
 */
const SPOOF = {
  'x-forwarded-for': '6.6.6.6',
  'x-real-ip': '6.6.6.7',
  forwarded: 'for=6.6.6.8;host=evil.test;proto=http',
  'x-forwarded-host': 'evil.test',
  'x-forwarded-proto': 'http',
  'x-client-ip': '6.6.6.9',
  'cf-connecting-ip': '6.6.6.10',
  'true-client-ip': '6.6.6.11',
};

/** Starts a PayU payment with these headers from this peer; answers the customerIp PayU was sent. */
async function payuCustomerIp(options: WorldOptions, headers: Record<string, string>, peer: string) {
  const world = createWorld(options);
  const response = await world.send(
    new Request('https://shop.test/pay/start', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ backend: 'payu', orderId: 'payu-1' }),
    }),
    peer,
  );
  expect(response.status).toBe(200);
  const outbound = (await world.snapshot()).messages.filter(
    (m) => m.direction === 'outbound' && m.body.includes('"customerIp"'),
  );
  expect(outbound).toHaveLength(1);
  return (JSON.parse(outbound[0]?.body as string) as { customerIp: string }).customerIp;
}

/** Starts a PayPal payment; answers the URLs the bridge put in the form for PayPal. */
async function paypalUrls(options: WorldOptions, headers: Record<string, string>, peer: string, url: string) {
  const world = createWorld(options);
  const response = await world.send(
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ backend: 'paypal', orderId: 'paypal-1' }),
    }),
    peer,
  );
  expect(response.status).toBe(200);
  const { redirect } = (await response.json()) as { redirect: { fields: Record<string, string> } };
  const { notify_url, return: back, cancel_return } = redirect.fields;
  return [notify_url, back, cancel_return].map((u) => new URL(u as string).origin);
}

const TRUSTED: TrustProxy = ['10.0.0.0/8', '::1'];

describe('client address: X-Forwarded-For and friends', () => {
  it('without trusted proxies every forwarding header is ignored', async () => {
    expect(await payuCustomerIp({}, SPOOF, PEER)).toBe(PEER);
  });

  it('with trusted proxies, a client that is not one of them is not believed', async () => {
    expect(await payuCustomerIp({ trustProxy: TRUSTED }, SPOOF, PEER)).toBe(PEER);
  });

  it('behind a trusted proxy: the right-most address that is not a proxy, never a spoofed left part', async () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 198.51.100.44, 10.1.2.3' };
    expect(await payuCustomerIp({ trustProxy: TRUSTED }, headers, '10.0.0.5')).toBe('198.51.100.44');
    expect(await payuCustomerIp({ trustProxy: TRUSTED }, headers, '::ffff:10.0.0.5')).toBe('198.51.100.44');
  });

  it.each(['unknown', '<script>alert(1)</script>', '198.51.100.44:8080', '6.6.6.6, not-an-ip', '999.1.1.1'])(
    'behind a trusted proxy, a malformed X-Forwarded-For (%s) falls back to the proxy itself',
    async (value) => {
      expect(await payuCustomerIp({ trustProxy: TRUSTED }, { 'x-forwarded-for': value }, '10.0.0.5')).toBe(
        '10.0.0.5',
      );
    },
  );

  it('a peer address is normalised, a bare peer never reaches the broker as a header value', async () => {
    expect(await payuCustomerIp({}, {}, '::ffff:198.51.100.8')).toBe('198.51.100.8');
  });
});

describe('absolute URLs given to the broker: X-Forwarded-Host / -Proto', () => {
  const url = 'https://shop.test/pay/start';

  it('a configured baseUrl wins over forwarded headers, even from a trusted proxy', async () => {
    expect(await paypalUrls({ trustProxy: TRUSTED }, SPOOF, '10.0.0.5', url)).toEqual(
      Array(3).fill('https://shop.test'),
    );
  });

  it('without a baseUrl, an untrusted client cannot move the notify and return URLs', async () => {
    for (const trustProxy of [undefined, TRUSTED]) {
      const options: WorldOptions = { noBaseUrl: true, ...(trustProxy ? { trustProxy } : {}) };
      expect(await paypalUrls(options, SPOOF, PEER, url)).toEqual(Array(3).fill('https://shop.test'));
    }
  });

  it('without a baseUrl, a trusted proxy sets them; a malformed forwarded host is ignored', async () => {
    const options: WorldOptions = { noBaseUrl: true, trustProxy: TRUSTED };
    const fromProxy = { 'x-forwarded-host': 'shop.example', 'x-forwarded-proto': 'https' };
    expect(await paypalUrls(options, fromProxy, '10.0.0.5', 'http://10.0.0.1:3000/pay/start')).toEqual(
      Array(3).fill('https://shop.example'),
    );
    for (const host of ['evil.test/x', 'evil.test@shop.test', 'evil.test\\x', 'a b', 'evil.test:99999999']) {
      const headers = { 'x-forwarded-host': host, 'x-forwarded-proto': 'javascript' };
      expect(await paypalUrls(options, headers, '10.0.0.5', url)).toEqual(Array(3).fill('https://shop.test'));
    }
  });
});
