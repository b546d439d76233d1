/**
 * Responses built on headers of their own. `@hono/node-server` (1.19) writes `Content-Length` into
 * a Response's headers *init object* when it sends it, so a headers object shared between responses
 * (a module-level constant, a backend's cached page) carries the previous answer's length into the
 * next one: bodies cut short, hung connections. Every response core builds from something shared
 * goes through `withOwnHeaders`, and the headers core writes itself come fresh from a function.
 */

/** Fresh headers of a JSON answer (a new object on every call, never a shared constant). */
export function jsonHeaders(): Record<string, string> {
  return { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: jsonHeaders() });
}

/** What a response is made of, when it may be shared (a backend's constant acknowledgement). */
export interface ResponseParts {
  status: number;
  statusText?: string;
  headers?: HeadersInit | undefined;
  body?: BodyInit | null | undefined;
}

/**
 * A copy of `headers`. A plain record (every backend's acknowledgement) stays a plain record:
 * `@hono/node-server` writes one straight to Node, where a `Headers` object costs it a walk through
 * undici's sorted iterator on every answer. A `Headers` object or a list of pairs (which may repeat a
 * name) becomes a new `Headers`.
 */
function ownHeaders(headers: HeadersInit | undefined): HeadersInit {
  if (headers === undefined) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return new Headers(headers);
  return { ...headers };
}

/** `source` (a Response, whose body is passed on unread, or its parts) on a headers object of its own. */
export function withOwnHeaders(source: Response | ResponseParts): Response {
  return new Response(source.body ?? null, {
    status: source.status,
    ...(source.statusText === undefined ? {} : { statusText: source.statusText }),
    headers: ownHeaders(source.headers),
  });
}

/** 303 See Other to `location`, never cached (the browser goes on with a GET). */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
}
