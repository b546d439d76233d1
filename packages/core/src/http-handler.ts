import type { HandlerOptions } from './config';
import { isPaybridgeError, PaybridgeError, toPaybridgeError } from './errors';
import { supplyBody } from './lib/body';
import { describeError } from './lib/describe-error';
import { type RoutesAndOperations, routesAndOperations } from './lib/first-use';
import { lazy } from './lib/lazy';
import { decodeSegments, matchRoute, resolveBasePath } from './lib/mount-path';
import type { Runtime } from './lib/runtime';
import { normalizeIp, resolveBaseUrl, resolveClientIp } from './lib/trusted-proxy';
import type { Route, RouteContext, RouteHandler } from './routes/context';

const route = (methods: Route['methods'], handler: (loaded: RoutesAndOperations) => RouteHandler): Route => ({
  methods,
  load: lazy(() => routesAndOperations().then(handler)),
});

/**
 * Every route of the bridge, by its first path segment below the mount path. The routes' code (and
 * what it imports: the notification pipeline, the status machine, HTML pages, button tokens) is
 * loaded when a route is first matched (`lib/first-use.ts`).
 */
const ROUTES: Readonly<Record<string, Route>> = {
  methods: route(['GET'], (loaded) => loaded.methodsRoute),
  start: route(['POST'], (loaded) => loaded.startRoute),
  notify: route(['POST', 'GET', 'PUT'], (loaded) => loaded.notifyRoute),
  return: route(['GET', 'POST'], (loaded) => loaded.returnRoute),
  status: route(['GET'], (loaded) => loaded.statusRoute),
  backend: route(null, (loaded) => loaded.backendPageRoute),
};

/**
 * The whole HTTP API over Request → Response. Adapters only pass the request, the connection's
 * client IP and where they mounted it; every rule (routes, limits, trusted proxies, error shapes)
 * lives here and in `routes/`.
 */
export function createHandler(runtime: Runtime) {
  return async function handler(request: Request, options: HandlerOptions = {}): Promise<Response> {
    if (options.body) supplyBody(request, options.body);
    const url = new URL(request.url);
    try {
      const basePath = resolveBasePath(runtime.config, options);
      const match = matchRoute(url.pathname, basePath);
      const route = match && Object.hasOwn(ROUTES, match.route) ? ROUTES[match.route] : undefined;
      if (!match || !route) throw new PaybridgeError('NOT_FOUND', `no route ${url.pathname}`);
      const segments = decodeSegments(match.rest);
      if (route.methods && !route.methods.includes(request.method)) {
        throw new PaybridgeError('METHOD_NOT_ALLOWED', `${request.method} not allowed here`, {
          details: { allow: route.methods },
        });
      }
      const origin = requestOrigin(runtime, request, basePath, options);
      const handle = await route.load();
      return await handle({ runtime, request, url, segments, ...origin });
    } catch (error) {
      return errorResponse(runtime, request, url, error);
    }
  };
}

/** Where the request reached the bridge (its public base URL) and from whom (the client's address). */
function requestOrigin(
  runtime: Runtime,
  request: Request,
  basePath: string,
  options: HandlerOptions,
): Pick<RouteContext, 'baseUrl' | 'clientIp'> {
  const peer = options.clientIp ? normalizeIp(options.clientIp) : null;
  const peerTrusted = peer !== null && runtime.isTrustedProxy(peer);
  return {
    baseUrl: resolveBaseUrl(runtime.config.baseUrl, request, basePath, peerTrusted),
    clientIp: resolveClientIp(request.headers, peer, (ip) => runtime.isTrustedProxy(ip)),
  };
}

/** A failure as the JSON error every route answers, logged (a driver's error only to the log). */
function errorResponse(runtime: Runtime, request: Request, url: URL, error: unknown): Response {
  const failure = toPaybridgeError(error);
  const log = failure.status >= 500 ? runtime.logger.error : runtime.logger.warn;
  log(`${request.method} ${url.pathname} failed`, {
    code: failure.code,
    message: failure.message,
    // A store failure's driver error (its `cause`) goes to the log, never to the response.
    ...(isPaybridgeError(error) && error.cause === undefined ? {} : { error: describeError(error) }),
  });
  const response = failure.toResponse();
  const allowed = failure.code === 'METHOD_NOT_ALLOWED' ? failure.details?.allow : undefined;
  if (Array.isArray(allowed)) response.headers.set('allow', allowed.join(', '));
  return response;
}
