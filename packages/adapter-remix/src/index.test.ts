import {
  createPaybridge,
  dummy,
  hmac,
  memoryStore,
  type PaymentBackend,
  silentLogger,
  type TrustProxy,
  toHex,
  utf8,
} from '@paybridge/core';
import { createRequestHandler, type ServerBuild } from '@remix-run/server-runtime';
import { describe, expect, it } from 'vitest';
import { createPaybridgeRoute, type PaybridgeRouteOptions } from './index';

const SHOP = 'https://shop.example';
const BASE = `${SHOP}/payments`;
const SIGNING_KEY = 'k'.repeat(32);

/** The dummy backend, recording the client IP the bridge hands it on each call. */
function observedDummy() {
  const inner = dummy({ signingKey: SIGNING_KEY });
  const seen = { prepare: [] as Array<string | null>, notification: [] as Array<string | null> };
  const backend = {
    ...inner,
    prepare: (payment, ctx) => {
      seen.prepare.push(ctx.clientIp);
      return inner.prepare(payment, ctx);
    },
    handleNotification: (message) => {
      seen.notification.push(message.clientIp);
      return inner.handleNotification(message);
    },
  } satisfies PaymentBackend;
  return { backend, seen };
}

/**
 * A Remix app reduced to what the compiler would emit for `app/root.tsx` and the splat resource
 * route `app/routes/payments.$.tsx`, served by Remix's own request handler.
 */
function remixShop(options: { trustProxy?: TrustProxy; route?: PaybridgeRouteOptions } = {}) {
  const { backend, seen } = observedDummy();
  const bridge = createPaybridge({
    backends: [backend],
    store: memoryStore(),
    logger: silentLogger,
    trustProxy: options.trustProxy ?? false,
    orders: {
      resolve: (orderId) =>
        orderId === 'order-1'
          ? { amount: 1999, currency: 'EUR', description: 'A book', successUrl: `${SHOP}/thanks` }
          : null,
    },
  });
  const { loader, action } = createPaybridgeRoute(bridge, options.route);
  const build: ServerBuild = {
    mode: 'production',
    entry: {
      module: {
        default: () => new Response('<html>shop</html>', { headers: { 'content-type': 'text/html' } }),
      },
    },
    routes: {
      root: { id: 'root', path: '', module: { default: () => null } },
      'routes/payments.$': {
        id: 'routes/payments.$',
        parentId: 'root',
        path: 'payments/*', // No default export: Remix treats the route as a resource route and returns its Response as is.
        module: { default: undefined, loader, action },
      },
    },
    assets: {
      entry: { imports: [], module: '/build/entry.client.js' },
      routes: {},
      url: '/build/manifest.js',
      version: 'test',
    },
    publicPath: '/build/',
    assetsBuildDirectory: 'public/build',
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_singleFetch: true,
      v3_lazyRouteDiscovery: true,
    },
    isSpaMode: false,
  };
  const handle = createRequestHandler(build, 'production');
  return { handle, seen };
}

const startRequest = (headers: Record<string, string> = {}) =>
  new Request(`${BASE}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ backend: 'dummy', orderId: 'order-1' }),
  });

async function signedNotification(paymentId: string) {
  const body = `{ "paymentId": "${paymentId}",\n  "action": "pay", "eventId": "evt-1",\t"amount": 1999, "currency": "EUR" }`;
  return { body, signature: toHex(await hmac('SHA-256', utf8(SIGNING_KEY), utf8(body))) };
}

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
