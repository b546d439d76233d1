import type { Paybridge } from '@paybridge/core';
import { type Context, type Env, Hono } from 'hono';
import type { ConnInfo } from 'hono/conninfo';

export interface PaybridgeAppOptions<E extends Env = Env> {
  /**
   * Your runtime's `getConnInfo` (`@hono/node-server/conninfo`, `hono/bun`, `hono/deno`,
   * `hono/cloudflare-workers`, …), or any function answering the TCP peer's address. The bridge
   * trusts `X-Forwarded-For` only when this peer is one of its `trustProxy` addresses.
   * Default: the peer of `@hono/node-server`'s socket, else none.
   */
  getConnInfo?: (c: Context<E>) => ConnInfo;
}

/** Node's `IncomingMessage`, as far as the bridge reads it. */
interface Incoming extends AsyncIterable<Uint8Array> {
  socket?: { remoteAddress?: string };
  readableDidRead?: boolean;
  readableEnded?: boolean;
  destroyed?: boolean;
}

/** What `@hono/node-server` puts in `c.env` (read structurally so other runtimes need not install it). */
interface NodeBindings {
  incoming?: Incoming;
  server?: NodeBindings;
}

function nodeIncoming(c: Context): Incoming | undefined {
  const env = c.env as NodeBindings | undefined;
  return (env?.server ?? env)?.incoming;
}

function nodePeer(c: Context): string | null {
  return nodeIncoming(c)?.socket?.remoteAddress ?? null;
}

/**
 * On `@hono/node-server`, the body straight from Node's `IncomingMessage` when nothing has touched
 * it yet: `c.req.raw` is then node-server's lazy request, and building the full `Request` with a
 * web stream over the socket (an AbortController, a ReadableStream, a stream adapter) costs more
 * than most of what the bridge does with a notification. Only when provably unread: node-server's
 * own request object (it holds the `incomingKey` of this very message), no `Request` built from it
 * yet (no `requestCache`), and no byte read from the stream. Anything else takes the standard path.
 */
function untouchedNodeBody(c: Context): Incoming | undefined {
  const incoming = nodeIncoming(c);
  if (!incoming || typeof incoming[Symbol.asyncIterator] !== 'function') return undefined;
  if (incoming.readableDidRead !== false || incoming.readableEnded || incoming.destroyed) return undefined;
  let ownsIncoming = false;
  for (const key of Object.getOwnPropertySymbols(c.req.raw)) {
    if (key.description === 'requestCache') return undefined;
    if (key.description === 'incomingKey') {
      ownsIncoming = (c.req.raw as unknown as Record<symbol, unknown>)[key] === incoming;
    }
  }
  return ownsIncoming && Object.keys(c.req.bodyCache).length === 0 ? incoming : undefined;
}

/**
 * Where this app is mounted, as a prefix of the request's path: Hono's route path of this handler
 * (`/api/v1/pay/*` under `basePath('/api')` and `route('/v1/pay', …)`, parameters included) gives
 * how many segments the mount has, and the request's own path gives them as sent.
 */
function mountPath(c: Context): string | undefined {
  const routePath = c.req.routePath;
  if (!routePath.endsWith('/*')) return undefined;
  const depth = routePath.slice(0, -2).split('/').filter(Boolean).length;
  return new URL(c.req.url).pathname
    .split('/')
    .slice(0, depth + 1)
    .join('/');
}

/**
 * The request exactly as the client sent it: signatures are computed over the raw body bytes, so
 * the bridge must read them itself. If a middleware consumed the body, only a byte-exact cache
 * (`arrayBuffer`/`blob`) can stand in for it; a parsed one (`json`, `text`, `formData`) may differ.
 */
async function rawRequest(c: Context): Promise<Request> {
  const raw = c.req.raw;
  if (!raw.bodyUsed) return raw;
  const cache = c.req.bodyCache;
  if (!('arrayBuffer' in cache || 'blob' in cache)) {
    throw new Error(
      'paybridge: a middleware read the request body before the bridge and its raw bytes are lost; ' +
        'mount paybridgeApp before body-parsing middleware (broker signatures cover the exact bytes)',
    );
  }
  // Hono answers arrayBuffer() from its cache, converting a cached blob byte for byte.
  return new Request(raw, { body: await c.req.arrayBuffer() });
}

/**
 * A Hono sub-app serving every route of the bridge. Mount it under any path:
 * `app.route('/payments', paybridgeApp(bridge))`. The request goes through untouched; the mount
 * path it is served under is told to the bridge.
 */
export function paybridgeApp<E extends Env = Env>(
  bridge: Pick<Paybridge, 'handler'>,
  options: PaybridgeAppOptions<E> = {},
): Hono<E> {
  const app = new Hono<E>();
  app.all('/*', async (c) => {
    const clientIp = options.getConnInfo ? (options.getConnInfo(c).remote.address ?? null) : nodePeer(c);
    // The core builds every response on headers of its own (see its handler), so node-server may
    // write into them.
    const basePath = mountPath(c);
    const body = untouchedNodeBody(c);
    if (body) return bridge.handler(c.req.raw, { clientIp, basePath, body });
    return bridge.handler(await rawRequest(c), { clientIp, basePath });
  });
  return app;
}
