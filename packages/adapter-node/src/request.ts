import type { IncomingMessage } from 'node:http';

/**
 * What a framework may have left on Node's request: Express's `req.originalUrl` (the URL before
 * `app.use('/payments', …)` stripped the mount path), `req.baseUrl` (that mount path) and `req.route`
 * (the route a handler was registered on), a body parser's `req.body` and its `_body` flag, and the raw bytes some setups keep (`express.json({ verify })`, NestJS's `rawBody: true`,
 * fastify-raw-body).
 */
export interface NodeRequest extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  route?: { path?: unknown };
  body?: unknown;
  rawBody?: unknown;
  _body?: boolean;
}

/** Why a request could not be handed to the bridge: answered with this status and stable code. */
export class NodeAdapterError extends Error {
  override readonly name = 'NodeAdapterError';
  constructor(
    readonly code: 'BODY_ALREADY_PARSED' | 'BAD_REQUEST',
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// A host as HTTP allows it (name, IPv4, [IPv6]) with an optional port; anything else is refused
// rather than spliced into a URL.
const HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The absolute URL the client asked for, mount path included. */
export function requestUrl(req: NodeRequest): string {
  const host = req.headers.host ?? (req.headers[':authority'] as string | undefined);
  if (!host || !HOST.test(host))
    throw new NodeAdapterError('BAD_REQUEST', 400, 'missing or malformed Host header');
  const path = req.originalUrl ?? req.url ?? '/';
  if (!path.startsWith('/')) throw new NodeAdapterError('BAD_REQUEST', 400, 'request target must be a path');
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  return `${encrypted ? 'https' : 'http'}://${host}${path}`;
}

// A route's trailing wildcard: Express 4's `/*`, Express 5's `/*path` and `/{*path}`.
const WILDCARD = /\/\{?\*[A-Za-z0-9_]*\}?$/;

/**
 * Where Express mounted the handler, as a prefix of the request's path: the `app.use` path
 * (`req.baseUrl`), plus, for a route ending in a wildcard (`app.all('/payments/*path', …)`, a NestJS
 * controller's `@All('payments/*path')`), as many segments of the path as the route has before it.
 * Undefined outside Express, or on a route the bridge cannot be below: then its settings say it.
 */
export function mountPath(req: NodeRequest): string | undefined {
  if (typeof req.baseUrl !== 'string') return undefined;
  const routePath = req.route?.path;
  if (routePath === undefined) return req.baseUrl;
  const wildcard = typeof routePath === 'string' ? WILDCARD.exec(routePath) : null;
  if (typeof routePath !== 'string' || !wildcard) return undefined;
  const depth = routePath.slice(0, wildcard.index).split('/').filter(Boolean).length;
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  return (
    req.baseUrl +
    path
      .split('/')
      .slice(0, depth + 1)
      .join('/')
  );
}

/** Node's headers as web headers (HTTP/2 pseudo-headers left out, repeated ones kept). */
export function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.startsWith(':')) continue;
    headers.append(name, raw[i + 1] as string);
  }
  return headers;
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  // A string is bytes only when the setup kept it undecoded-equivalent (fastify-raw-body's utf8
  // default): bytes that were not valid UTF-8 come out changed, so their signature fails — safely.
  if (typeof value === 'string') return new TextEncoder().encode(value);
  return undefined;
}

function untouched(req: NodeRequest): boolean {
  return req.readableDidRead === false && !req.readableEnded && !req.destroyed && req._body !== true;
}

/**
 * The request's body, byte for byte as the client sent it. Broker signatures cover those exact
 * bytes, so a body a parser turned into an object or a string cannot stand in for them: only the
 * unread stream, raw bytes a setup kept (`req.rawBody`) or a Buffer body (`express.raw()`) will do.
 */
export function requestBody(req: NodeRequest): AsyncIterable<Uint8Array> | undefined {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  if (untouched(req)) return req;
  const kept = bytesOf(req.rawBody) ?? (req.body instanceof Uint8Array ? req.body : undefined);
  if (kept) return once(kept);
  throw new NodeAdapterError(
    'BODY_ALREADY_PARSED',
    500,
    'paybridge: a body parser read the request before the bridge and its raw bytes are lost; mount the ' +
      'handler before express.json()/urlencoded(), keep the raw bytes (NestJS rawBody: true, ' +
      'express.json({ verify }) setting req.rawBody), or give Fastify a pass-through content-type parser ' +
      '(broker signatures cover the exact bytes)',
  );
}
