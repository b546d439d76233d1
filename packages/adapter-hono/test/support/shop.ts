import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import {
  createPaybridge,
  memoryStore,
  type Paybridge,
  type PaymentBackend,
  silentLogger,
  type TrustProxy,
} from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';
import { hmac, toHex, utf8 } from '@paybridge/core/kit';
import { Hono } from 'hono';
import { expect } from 'vitest';
import { type PaybridgeAppOptions, paybridgeApp } from '../../src/index';

export const SIGNING_KEY = 'k'.repeat(32);
const servers: Array<ReturnType<typeof serve>> = [];

/** Closes every server `listen` opened (call it in `afterEach`). */
export async function closeServers() {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
}

/** The dummy backend, recording the client IP the bridge hands it on each call. */
export function observedDummy() {
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

/** Serves an app over real HTTP on an ephemeral port; the origin to reach it from this process. */
export async function listen(app: Hono, hostname = '127.0.0.1') {
  const server = serve({ fetch: app.fetch, port: 0, hostname });
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A shop on Hono with the bridge under /payments, served over real HTTP on an ephemeral port.
 * `bodySources` tells, per request the bridge handled, where the adapter had it read the body from:
 * `node` (Node's IncomingMessage, handed over as HandlerOptions.body) or `request` (the web Request).
 */
export async function startShop(
  options: {
    trustProxy?: TrustProxy;
    adapter?: PaybridgeAppOptions;
    beforeBridge?: Parameters<Hono['use']>[1];
    hostname?: string;
  } = {},
) {
  const { backend, seen } = observedDummy();
  const bridge = createPaybridge({
    backends: [backend],
    store: memoryStore(),
    logger: silentLogger,
    trustProxy: options.trustProxy ?? false,
    orders: {
      resolve: (orderId) =>
        orderId === 'order-1'
          ? {
              amount: 1999,
              currency: 'EUR',
              description: 'A book',
              successUrl: 'https://shop.example/thanks',
            }
          : null,
    },
  });
  const app = new Hono();
  app.get('/', (c) => c.text('shop'));
  app.onError((error, c) => c.text(error.message, 500));
  if (options.beforeBridge) app.use('/payments/*', options.beforeBridge);
  const bodySources: Array<'node' | 'request'> = [];
  const observed: Pick<Paybridge, 'handler'> = {
    handler: (request, handlerOptions) => {
      bodySources.push(handlerOptions?.body ? 'node' : 'request');
      return bridge.handler(request, handlerOptions);
    },
  };
  app.route('/payments', paybridgeApp(observed, options.adapter));
  const origin = await listen(app, options.hostname);
  return { bridge, seen, bodySources, origin, base: `${origin}/payments` };
}

export async function startPayment(base: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ backend: 'dummy', orderId: 'order-1' }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { payment: { id: string; status: string }; redirect: { url: string } };
}

export async function status(base: string, paymentId: string) {
  const response = await fetch(`${base}/status/${paymentId}`);
  return ((await response.json()) as { status: string }).status;
}

/** `body` with the dummy broker's signature over its exact bytes. */
export async function signed(body: string) {
  return { body, signature: toHex(await hmac('SHA-256', utf8(SIGNING_KEY), utf8(body))) };
}

/** A notification as the dummy broker signs it, with the bytes laid out unusually on purpose. */
export function signedNotification(paymentId: string, action = 'pay') {
  return signed(
    `{ "paymentId": "${paymentId}",\n  "action": "${action}", "eventId": "evt-1",\t"amount": 1999, "currency": "EUR" }`,
  );
}

/** POSTs a notification to the dummy broker's endpoint, as the broker would. */
export function postNotification(
  base: string,
  { body, signature }: { body: string; signature: string },
  headers: Record<string, string> = {},
) {
  return fetch(`${base}/notify/dummy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-dummy-signature': signature, ...headers },
    body,
  });
}
