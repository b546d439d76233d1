import type { Paybridge } from '@paybridge/core';
import { type Context, type Env, Hono } from 'hono';
import type { ConnInfo } from 'hono/conninfo';

export interface PaybridgeAppOptions<E extends Env = Env> {
  /**
   * Your runtime's `getConnInfo` (`@hono/node-server/conninfo`, `hono/bun`, `hono/deno`,
   * `hono/cloudflare-workers`, …), or any function answering the TCP peer's address. The bridge
   * trusts `X-Forwarded-For` only when this peer is one of its `trustProxy` addresses.
   * Default: `@hono/node-server/conninfo`'s under `@hono/node-server`, else none.
   */
  getConnInfo?: (c: Context<E>) => ConnInfo;
}

/**
 * Node's `IncomingMessage` as far as the bridge reads it: the public stream state of `node:stream`'s
 * `Readable` (typed structurally, so other runtimes need not know Node's types).
 */
interface Incoming extends AsyncIterable<Uint8Array> {
  method?: string;
  url?: string;
  readableDidRead?: boolean;
  readableFlowing?: boolean | null;
  readableEnded?: boolean;
  destroyed?: boolean;
}

/** `@hono/node-server`'s `HttpBindings`/`Http2Bindings` (`c.env`, or `c.env.server` under Vercel's wrapper). */
interface NodeBindings {
  incoming?: Incoming;
  server?: NodeBindings;
}

function nodeIncoming(c: Context): Incoming | undefined {
  const env = c.env as NodeBindings | undefined;
  return (env?.server ?? env)?.incoming;
}

type GetConnInfo = (c: Context) => ConnInfo;
// Named in a variable so that bundlers for other runtimes leave it alone: it is only loaded when
// `c.env` holds node-server's bindings, where node-server is installed by definition.
const NODE_CONNINFO = '@hono/node-server/conninfo';
let nodeConnInfo: Promise<GetConnInfo> | undefined;
/** node-server's `getConnInfo` once loaded: later requests call it without waiting on the import. */
let loadedConnInfo: GetConnInfo | undefined;

/** The client IP by default: node-server's own `getConnInfo` on node-server, none elsewhere. */
function defaultClientIp(c: Context): string | null | Promise<string | null> {
  if (!nodeIncoming(c)) return null;
  if (loadedConnInfo) return loadedConnInfo(c).remote.address ?? null;
  // Not found: node-server is installed where adapter-hono cannot see it; pass `getConnInfo` then.
  nodeConnInfo ??= import(NODE_CONNINFO).then((module: { getConnInfo: GetConnInfo }) => {
    loadedConnInfo = module.getConnInfo;
    return module.getConnInfo;
  });
  return nodeConnInfo.then((getConnInfo) => getConnInfo(c).remote.address ?? null);
}

/**
 * On `@hono/node-server`, the body straight from Node's `IncomingMessage` when nothing has touched
 * it yet: `c.req.raw` is then node-server's lazy request, and building the full `Request` with a web
 * stream over the socket costs more than most of what the bridge does with a notification.
 *
 * "Untouched" is read from public state only: Hono has cached no body, and Node's stream has had no
 * byte read (`readableDidRead`), no consumer attached (`readableFlowing` is still `null`: node-server
 * attaches one as soon as anything reads the `Request`'s body), and is neither ended nor destroyed.
 * The request must also be this message's (same method and target), not one forwarded with its env.
 * A web stream node-server attaches after this check (a `Request` built but not yet read) cannot take
 * bytes from the bridge: while the bridge's iterator listens for `readable`, the stream stays out of
 * flowing mode and every chunk comes out of the bridge's own `read()`, other listeners seeing copies.
 */
function untouchedNodeBody(c: Context): Incoming | undefined {
  const incoming = nodeIncoming(c);
  if (!incoming || typeof incoming[Symbol.asyncIterator] !== 'function') return undefined;
  // GET and HEAD carry no body node-server would read.
  if (incoming.method === 'GET' || incoming.method === 'HEAD') return undefined;
  if (incoming.readableDidRead !== false || incoming.readableFlowing !== null) return undefined;
  if (incoming.readableEnded || incoming.destroyed) return undefined;
  if (Object.keys(c.req.bodyCache).length > 0) return undefined;
  const raw = c.req.raw;
  const target = incoming.url;
  if (raw.method !== incoming.method || !target?.startsWith('/') || !raw.url.endsWith(target))
    return undefined;
  return incoming;
}

/** Segments of a route path's mount (`/api/v1/pay/*` → 3), by route path: worked out once for each. */
const mountDepths = new Map<string, number | null>();

function mountDepth(routePath: string): number | null {
  let depth = mountDepths.get(routePath);
  if (depth === undefined) {
    depth = routePath.endsWith('/*') ? routePath.slice(0, -2).split('/').filter(Boolean).length : null;
    mountDepths.set(routePath, depth);
  }
  return depth;
}

/**
 * Where this app is mounted, as a prefix of the request's path: Hono's route path of this handler
 * (`/api/v1/pay/*` under `basePath('/api')` and `route('/v1/pay', …)`, parameters included) gives
 * how many segments the mount has, and the request's own path gives them as sent.
 */
function mountPath(c: Context): string | undefined {
  const depth = mountDepth(c.req.routePath);
  if (depth === null) return undefined;
  const path = pathOf(c.req.url);
  // The prefix before the path's (depth + 1)th "/" (its first is the leading one).
  let end = 0;
  for (let segment = 0; segment < depth; segment++) {
    end = path.indexOf('/', end + 1);
    if (end === -1) return path;
  }
  return path.slice(0, end);
}

/**
 * The path of an absolute URL as sent (percent-encoding kept, query and fragment cut), read off the
 * string: this runs on every request, where parsing a whole `URL` costs more than the rest of the
 * adapter. The request's URL is absolute and already normalised by the runtime.
 */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  const query = url.indexOf('?', start);
  const hash = url.indexOf('#', start);
  const end = Math.min(query === -1 ? url.length : query, hash === -1 ? url.length : hash);
  return url.slice(start, end);
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
    // Read before the client IP may be awaited, while nothing else can have touched the request.
    const body = untouchedNodeBody(c);
    const peer = options.getConnInfo ? (options.getConnInfo(c).remote.address ?? null) : defaultClientIp(c);
    // Awaited only while node-server's getConnInfo is still loading (an await costs a turn).
    const clientIp = peer instanceof Promise ? await peer : peer;
    // The core builds every response on headers of its own (see its handler), so node-server may
    // write into them.
    const basePath = mountPath(c);
    if (body) return bridge.handler(c.req.raw, { clientIp, basePath, body });
    return bridge.handler(await rawRequest(c), { clientIp, basePath });
  });
  return app;
}
