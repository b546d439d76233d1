import type { Paybridge } from '@paybridge/core';

/**
 * What Remix v2 (`LoaderFunctionArgs` / `ActionFunctionArgs`) and React Router 7 (`Route.LoaderArgs`)
 * both pass a route's loader and action. Typed structurally so neither package is imported.
 */
export interface PaybridgeRouteArgs {
  request: Request;
  /** Remix's load context (what `getLoadContext` returned). */
  context?: unknown;
  params?: Record<string, string | undefined>;
}

export interface PaybridgeRouteOptions {
  /**
   * The TCP peer's address. Remix has no connection API, so by default it is read from the load
   * context's `clientIp` (e.g. `getLoadContext: (req) => ({ clientIp: req.socket.remoteAddress })`).
   * The bridge trusts `X-Forwarded-For` only when this peer is one of its `trustProxy` addresses.
   */
  getClientIp?: (args: PaybridgeRouteArgs) => string | null | undefined;
}

/**
 * The splat route's own path, as a prefix of the request's: the request path without as many
 * trailing segments as the splat (`params['*']`) has. Without a splat param the bridge's settings say it.
 */
function splatMountPath({ request, params }: PaybridgeRouteArgs): string | undefined {
  const splat = params?.['*'];
  if (splat === undefined) return undefined;
  const segments = new URL(request.url).pathname.split('/');
  const tail = splat === '' ? 0 : splat.split('/').length;
  return segments.slice(0, segments.length - tail).join('/');
}

function contextClientIp({ context }: PaybridgeRouteArgs): string | null {
  const clientIp = (context as { clientIp?: unknown } | null | undefined)?.clientIp;
  return typeof clientIp === 'string' && clientIp !== '' ? clientIp : null;
}

/**
 * `loader` and `action` for a splat resource route (`app/routes/payments.$.tsx`) serving every
 * bridge route under it. The request goes through untouched (broker signatures cover the raw body),
 * with the route's mount path read from the splat; the bridge's plain `Response` comes back as is.
 */
export function createPaybridgeRoute(
  bridge: Pick<Paybridge, 'handler'>,
  options: PaybridgeRouteOptions = {},
) {
  const getClientIp = options.getClientIp ?? contextClientIp;
  const serve = (args: PaybridgeRouteArgs): Promise<Response> =>
    bridge.handler(args.request, { clientIp: getClientIp(args) ?? null, basePath: splatMountPath(args) });
  return { loader: serve, action: serve };
}
