import { describe, expect, it } from 'vitest';
import type { PaybridgeConfig } from '../src/config';
import { dummy } from '../src/dummy-backend';
import { silentLogger } from '../src/logger';
import { createPaybridge } from '../src/paybridge';

const METHODS = 'methods?currency=EUR';

function bridgeWith(config: Partial<PaybridgeConfig> = {}) {
  return createPaybridge({
    backends: [dummy({ signingKey: 'k'.repeat(32) })],
    logger: silentLogger,
    orders: { resolve: () => ({ amount: 100, currency: 'EUR', description: 'x' }) },
    ...config,
  });
}

async function statusOf(
  bridge: ReturnType<typeof bridgeWith>,
  url: string,
  options: Parameters<ReturnType<typeof bridgeWith>['handler']>[1] = {},
) {
  return (await bridge.handler(new Request(url), options)).status;
}

describe('the mount path is said, never guessed', () => {
  it('is the root when nothing says otherwise: a route word deeper in the path is no route', async () => {
    const bridge = bridgeWith();
    expect(await statusOf(bridge, `https://shop.example/${METHODS}`)).toBe(200);
    expect(await statusOf(bridge, `https://shop.example/payments/${METHODS}`)).toBe(404);
  });

  it('is the path of baseUrl', async () => {
    const bridge = bridgeWith({ baseUrl: 'https://shop.example/shop/payments/' });
    expect(await statusOf(bridge, `https://shop.example/shop/payments/${METHODS}`)).toBe(200);
    expect(await statusOf(bridge, `https://shop.example/${METHODS}`)).toBe(404);
    expect(await statusOf(bridge, `https://shop.example/other/${METHODS}`)).toBe(404);
    expect(await statusOf(bridge, `https://shop.example/shop/paymentsx/${METHODS}`)).toBe(404);
  });

  it('is what the adapter reports for the request, over baseUrl (a proxy may strip the public path)', async () => {
    const bridge = bridgeWith({ baseUrl: 'https://shop.example/payments' });
    expect(await statusOf(bridge, `http://app:3000/${METHODS}`, { basePath: '' })).toBe(200);
    expect(await statusOf(bridge, `http://app:3000/api/pay/${METHODS}`, { basePath: '/api/pay/' })).toBe(200);
    expect(await statusOf(bridge, `http://app:3000/api/pay/${METHODS}`, { basePath: '/api' })).toBe(404);
  });

  it('is the basePath setting above all, "/" being the root', async () => {
    const proxied = bridgeWith({ baseUrl: 'https://shop.example/payments', basePath: '/' });
    expect(await statusOf(proxied, `http://app:3000/${METHODS}`, { basePath: '/payments' })).toBe(200);
    const fastify = bridgeWith({ basePath: '/payments' });
    expect(await statusOf(fastify, `http://app:3000/payments/${METHODS}`)).toBe(200);
    expect(await statusOf(fastify, `http://app:3000/${METHODS}`)).toBe(404);
  });

  it('builds the public URLs on the mount path when no baseUrl is given', async () => {
    const bridge = bridgeWith({ basePath: '/pay' });
    const response = await bridge.handler(
      new Request('http://shop.example:8080/pay/start', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{"backend":"dummy","orderId":"o"}',
      }),
    );
    const { redirect } = (await response.json()) as { redirect: { url: string } };
    expect(redirect.url).toMatch(/^http:\/\/shop\.example:8080\/pay\/backend\/dummy\/pay\//);
  });

  it('refuses a basePath that is not a path', () => {
    for (const basePath of ['payments', '/pay?x=1', '/pay#top', 'https://shop.example/pay']) {
      expect(() => bridgeWith({ basePath })).toThrow(/basePath: must be a path/);
    }
  });
});
