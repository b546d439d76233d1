import { getConnInfo } from '@hono/node-server/conninfo';
import { createPaybridge, memoryStore, type PaymentBackend, silentLogger } from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { paybridgeApp } from '../src/index';
import {
  closeServers,
  listen,
  postNotification,
  SIGNING_KEY,
  signed,
  signedNotification,
  startPayment,
  startShop,
  status,
} from './support/shop';

afterEach(closeServers);

describe('paybridgeApp over real HTTP (@hono/node-server)', () => {
  it('starts a payment under the mount path and completes it on the hosted page', async () => {
    const { base } = await startShop();
    const { payment, redirect } = await startPayment(base);
    expect(payment.status).toBe('new');
    // The bridge saw the untouched URL, so the links it builds carry the mount path.
    expect(redirect.url).toBe(`${base}/backend/dummy/pay/${payment.id}`);

    const page = await fetch(redirect.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Dummy payment');

    const paid = await fetch(redirect.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=pay',
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`${base}/return/dummy/${payment.id}`);
    expect(await status(base, payment.id)).toBe('paid');

    const back = await fetch(`${base}/return/dummy/${payment.id}`, { redirect: 'manual' });
    expect(back.headers.get('location')).toBe(`https://shop.example/thanks?payment=${payment.id}`);
  });

  it('passes a notification’s raw bytes through, so the signature verifies', async () => {
    const { base } = await startShop();
    const { payment } = await startPayment(base);

    const forged = await signedNotification(payment.id);
    const rejected = await postNotification(base, { ...forged, body: forged.body.replace('\t', ' ') });
    expect(rejected.status).toBe(400);
    expect(await status(base, payment.id)).toBe('new');

    const accepted = await postNotification(base, await signedNotification(payment.id));
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toBe('OK');
    expect(await status(base, payment.id)).toBe('paid');
  });

  it('gives the bridge the TCP peer and ignores X-Forwarded-For without trusted proxies', async () => {
    const { base, seen } = await startShop();
    const { payment } = await startPayment(base, { 'x-forwarded-for': '203.0.113.7' });
    await postNotification(base, await signedNotification(payment.id), {
      'x-forwarded-for': '198.51.100.9',
    });
    expect(seen.prepare).toEqual(['127.0.0.1']);
    expect(seen.notification).toEqual(['127.0.0.1']);
  });

  it('takes the client from X-Forwarded-For when the peer is a trusted proxy', async () => {
    const { base, seen } = await startShop({ trustProxy: ['127.0.0.1'] });
    await startPayment(base, { 'x-forwarded-for': '203.0.113.7' });
    // Only the right-most untrusted hop counts: a client cannot prepend its way in.
    await startPayment(base, { 'x-forwarded-for': '10.9.9.9, 203.0.113.8' });
    await startPayment(base);
    expect(seen.prepare).toEqual(['203.0.113.7', '203.0.113.8', '127.0.0.1']);
  });

  it('uses the runtime’s getConnInfo when given one', async () => {
    const { base, seen } = await startShop({
      trustProxy: ['192.0.2.1'],
      adapter: { getConnInfo: () => ({ remote: { address: '192.0.2.1', addressType: 'IPv4' } }) },
    });
    await startPayment(base, { 'x-forwarded-for': '203.0.113.50' });
    expect(seen.prepare).toEqual(['203.0.113.50']);
  });

  it('works with @hono/node-server’s own getConnInfo, as the README shows', async () => {
    const direct = await startShop({ adapter: { getConnInfo } });
    await startPayment(direct.base, { 'x-forwarded-for': '203.0.113.7' });
    expect(direct.seen.prepare).toEqual(['127.0.0.1']);

    const proxied = await startShop({ trustProxy: ['127.0.0.1'], adapter: { getConnInfo } });
    await startPayment(proxied.base, { 'x-forwarded-for': '203.0.113.7' });
    expect(proxied.seen.prepare).toEqual(['203.0.113.7']);
  });

  it('matches trusted proxies on a dual-stack listener, where IPv4 peers read ::ffff:a.b.c.d', async () => {
    const { base, seen } = await startShop({ trustProxy: ['127.0.0.0/8'], hostname: '::' });
    await startPayment(base, { 'x-forwarded-for': '203.0.113.7' });
    expect(seen.prepare).toEqual(['203.0.113.7']);
  });

  it('serves backend pages whose responses share one headers object (node-server fills it in)', async () => {
    // A backend written like the core once was: every response built from the same headers init.
    const shared = { 'content-type': 'text/plain' };
    const backend = {
      ...dummy({ signingKey: SIGNING_KEY }),
      handleRequest: async (path: string) =>
        new Response(`page ${path}${'.'.repeat(path.length * 10)}`, {
          headers: shared,
        }),
    } satisfies PaymentBackend;
    const bridge = createPaybridge({
      backends: [backend],
      store: memoryStore(),
      logger: silentLogger,
      orders: { resolve: () => null },
    });
    const app = new Hono();
    app.route('/payments', paybridgeApp(bridge));
    const origin = await listen(app);
    for (const path of ['/a', '/longer-path', '/b']) {
      const response = await fetch(`${origin}/payments/backend/dummy${path}`, {
        signal: AbortSignal.timeout(3000),
      });
      expect(await response.text()).toBe(`page ${path}${'.'.repeat(path.length * 10)}`);
    }
    expect(shared).toEqual({ 'content-type': 'text/plain' });
  });

  it('recovers the exact bytes when a middleware already read them as an ArrayBuffer', async () => {
    const { base } = await startShop({
      beforeBridge: async (c, next) => {
        await c.req.arrayBuffer();
        await next();
      },
    });
    const { payment } = await startPayment(base);
    const response = await postNotification(base, await signedNotification(payment.id));
    expect(response.status).toBe(200);
    expect(await status(base, payment.id)).toBe('paid');
  });

  it('refuses a body a middleware parsed, rather than verify re-serialised bytes', async () => {
    const { base } = await startShop({
      beforeBridge: async (c, next) => {
        if (c.req.method === 'POST') await c.req.json();
        await next();
      },
    });
    const response = await fetch(`${base}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ backend: 'dummy', orderId: 'order-1' }),
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('raw bytes are lost');
  });

  it('reads an untouched body straight from Node, never building the web Request', async () => {
    const { base, bodySources } = await startShop();
    const { payment } = await startPayment(base);
    // A body of many TCP chunks, with bytes a re-encoding would change, arrives byte for byte.
    const padding = `${'é€\u00a0'.repeat(25_000)}`;
    const response = await postNotification(
      base,
      await signed(
        `{ "paymentId": "${payment.id}", "pad": "${padding}",\n "action": "pay", "eventId": "evt-big", "amount": 1999, "currency": "EUR" }`,
      ),
    );
    expect(response.status).toBe(200);
    expect(await status(base, payment.id)).toBe('paid');
    // The start and the notification were read from Node; the status GET has no body to read.
    expect(bodySources).toEqual(['node', 'node', 'request']);
  });

  it('reads the exact bytes when a middleware built the Request without reading it', async () => {
    const { base } = await startShop({
      beforeBridge: async (c, next) => {
        expect(c.req.raw.signal.aborted).toBe(false);
        await next();
      },
    });
    const { payment } = await startPayment(base);
    const response = await postNotification(base, await signedNotification(payment.id));
    expect(response.status).toBe(200);
    expect(await status(base, payment.id)).toBe('paid');
  });

  it('takes the standard path once a middleware started reading the body stream', async () => {
    const { base, bodySources } = await startShop({
      beforeBridge: async (c, next) => {
        // A tee: the middleware reads its half, the Request keeps the other for the bridge.
        if (c.req.method === 'POST') {
          const [mine, theirs] = (c.req.raw.body as ReadableStream<Uint8Array>).tee();
          c.req.raw = new Request(c.req.raw.url, {
            method: c.req.raw.method,
            headers: c.req.raw.headers,
            body: theirs,
            duplex: 'half',
          } as RequestInit);
          await new Response(mine).arrayBuffer();
        }
        await next();
      },
    });
    const { payment } = await startPayment(base);
    const response = await postNotification(base, await signedNotification(payment.id));
    expect(response.status).toBe(200);
    expect(await status(base, payment.id)).toBe('paid');
    expect(bodySources).toEqual(['request', 'request', 'request']);
  });

  it('refuses a body over the limit on either path, the message on record', async () => {
    for (const touch of [false, true]) {
      const { bridge } = await startShop();
      const app = new Hono();
      if (touch) app.use('*', async (c, next) => (c.req.raw.signal.aborted ? undefined : next()));
      app.route('/payments', paybridgeApp(bridge));
      const origin = await listen(app);
      const response = await fetch(`${origin}/payments/notify/dummy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(2_000_000) },
        body: 'x'.repeat(2_000_000),
      });
      expect(response.status, `touched: ${touch}`).toBe(413);
      const emulated = ['bun', 'deno'].find((name) => name in process.versions);
      if (touch && emulated) {
        // Bun's and Deno's node:http (under @hono/node-server) drop the connection when the request
        // stream is cancelled mid-read: the 413 never reaches the client. There, serve with the
        // runtime's own server (Bun.serve, Deno.serve), which this test does not cover.
        console.warn(
          `not run on ${emulated}: chunked over-limit body after a middleware touched the request`,
        );
        continue;
      }
      // Chunked, with no length to refuse it by: the limit is found while reading.
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      const streamed = await fetch(`${origin}/payments/notify/dummy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream({
          pull(controller) {
            controller.enqueue(chunk);
          },
        }),
        duplex: 'half',
      } as RequestInit).then(
        (r) => r.status,
        (error: unknown) => String(error),
      );
      expect(streamed, `touched: ${touch}`).toBe(413);
      const { items } = await bridge.store.listMessages({ limit: 5 });
      expect(items.map((m) => m.responseStatus)).toEqual([413, 413]);
    }
  });

  it('mounts in an app with its own typed bindings, under any base path', async () => {
    const { bridge } = await startShop();
    const app = new Hono<{ Variables: { shopId: string } }>().basePath('/api');
    app.route('/v1/pay', paybridgeApp(bridge));
    const response = await app.request('https://shop.example/api/v1/pay/methods?currency=EUR&amount=100');
    expect(response.status).toBe(200);
    const methods = (await response.json()) as { available: Array<{ id: string }> };
    expect(methods.available.map((b) => b.id)).toEqual(['dummy']);
    expect((await app.request('https://shop.example/api/v1/other')).status).toBe(404);
  });

  it('reports the mount path as the request sent it, for every kind of mount', async () => {
    const seen: Array<string | undefined> = [];
    const bridge = {
      handler: async (_request: Request, options?: { basePath?: string | null }) => {
        seen.push(options?.basePath ?? undefined);
        return new Response('ok');
      },
    };
    const app = new Hono();
    app.route('/:shop/pay', paybridgeApp(bridge));
    app.basePath('/api').route('/v1/pay', paybridgeApp(bridge));
    const root = new Hono();
    root.route('/', paybridgeApp(bridge));
    for (const url of [
      'https://shop.example/acme/pay/start',
      'https://shop.example/%61cme/pay/status/pay_1?x=/a/b',
      'https://shop.example/acme/pay/notify/dummy#frag',
      'https://shop.example/api/v1/pay/methods',
      'https://shop.example/api/v1/pay/methods?again',
    ]) {
      expect((await app.request(url)).status).toBe(200);
    }
    expect((await root.request('https://shop.example/start')).status).toBe(200);
    expect(seen).toEqual(['/acme/pay', '/%61cme/pay', '/acme/pay', '/api/v1/pay', '/api/v1/pay', '']);
  });

  it('tells the bridge a mount path with parameters, and only that one', async () => {
    const { bridge } = await startShop();
    const app = new Hono();
    app.route('/:shop/pay', paybridgeApp(bridge));
    const methods = await app.request('https://shop.example/acme/pay/methods?currency=EUR');
    expect(methods.status).toBe(200);
    // A route word deeper in the path is not a route: the mount path is said, not guessed.
    const deeper = await app.request('https://shop.example/acme/pay/x/methods?currency=EUR');
    expect(deeper.status).toBe(404);
    expect(((await deeper.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});
