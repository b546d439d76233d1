import type { HandlerOptions, PaybridgeConfig } from '../config';
import { PaybridgeError } from '../errors';

/**
 * The path the handler's routes live under, as the request URL shows it ("" for the root). It is
 * said, never guessed from the URL: the merchant's `basePath`, else the mount path the adapter
 * reports for this request (Express's `app.use` path, Hono's `app.route` path, the Remix splat
 * route's), else the path of `baseUrl`, else the root.
 */
export function resolveBasePath(config: PaybridgeConfig, options: HandlerOptions): string {
  if (config.basePath !== undefined) return trimBasePath(config.basePath);
  if (options.basePath !== undefined && options.basePath !== null) return trimBasePath(options.basePath);
  return config.baseUrl ? trimBasePath(new URL(config.baseUrl).pathname) : '';
}

/** A path prefix: "/" or "" is the root, anything else starts with "/" and names no query or fragment. */
export function isBasePath(value: unknown): value is string {
  return typeof value === 'string' && (value === '' || /^\/[^?#\s]*$/.test(value));
}

function trimBasePath(path: string): string {
  return path.replace(/\/+$/, '');
}

export interface RouteMatch {
  /** The first segment below the mount path, as sent (`start`, `notify`, …). */
  route: string;
  /** The non-empty segments after it, as sent (`decodeSegments` reads them). */
  rest: string[];
}

/** The route below `basePath`, or null when the request is not under it. */
export function matchRoute(pathname: string, basePath: string): RouteMatch | null {
  if (!pathname.startsWith(`${basePath}/`)) return null;
  const [route = '', ...rest] = pathname.slice(basePath.length + 1).split('/');
  return { route, rest: rest.filter(Boolean) };
}

/** Percent-decoded path segments; malformed encoding is the client's error (400). */
export function decodeSegments(segments: string[]): string[] {
  try {
    return segments.map(decodeURIComponent);
  } catch {
    throw new PaybridgeError('BAD_REQUEST', 'malformed percent-encoding in the path');
  }
}
