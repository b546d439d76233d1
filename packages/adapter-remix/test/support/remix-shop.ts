import {
  createPaybridge,
  memoryStore,
  type PaymentBackend,
  silentLogger,
  type TrustProxy,
} from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';
import { hmac, toHex, utf8 } from '@paybridge/core/kit';
import { createRequestHandler, type ServerBuild } from '@remix-run/server-runtime';
import { createPaybridgeRoute, type PaybridgeRouteOptions } from '../../src/index';

export const SHOP = 'https://shop.example';
export const BASE = `${SHOP}/payments`;
export const SIGNING_KEY = 'k'.repeat(32);

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
export function remixShop(options: { trustProxy?: TrustProxy; route?: PaybridgeRouteOptions } = {}) {
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
  return { handle, seen, route: { loader, action } };
}

export const startRequest = (headers: Record<string, string> = {}) =>
  new Request(`${BASE}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ backend: 'dummy', orderId: 'order-1' }),
  });

export async function signedNotification(paymentId: string) {
  const body = `{ "paymentId": "${paymentId}",\n  "action": "pay", "eventId": "evt-1",\t"amount": 1999, "currency": "EUR" }`;
  return { body, signature: toHex(await hmac('SHA-256', utf8(SIGNING_KEY), utf8(body))) };
}
