/**
 * The sandbox's answers built from constant headers, and the one way to build them.
 *
 * `@hono/node-server` (1.19) writes `Content-Length` into the headers *init object* of a Response it
 * sends, so one headers object shared by several answers (a module constant) carries the previous
 * answer's length into the next: bodies cut short, hung connections (issue 14 item 6, the sandbox's
 * desync). `withOwnHeaders` gives each response a plain object of its own, copied from the constant
 * (a plain object keeps node-server's fast path; it writes the length into this copy only).
 */

/** Pages the simulated brokers serve (the sandbox's own HTML). */
export const HTML: Readonly<Record<string, string>> = { 'content-type': 'text/html; charset=utf-8' };
/** Plain-text answers (bank APIs, errors). */
export const PLAIN_TEXT: Readonly<Record<string, string>> = { 'content-type': 'text/plain; charset=utf-8' };
/** PayPal's HTML as its servers label it (the postback's VERIFIED/INVALID too, protocol reference §7.1). */
export const PAYPAL_HTML: Readonly<Record<string, string>> = { 'content-type': 'text/html; charset=UTF-8' };
/** PayPal's plain text as its servers label it (PDT's `SUCCESS`/`FAIL`, protocol reference §10). */
export const PAYPAL_PLAIN_TEXT: Readonly<Record<string, string>> = {
  'content-type': 'text/plain; charset=UTF-8',
};

/** A Response whose headers are its own copy of `headers` (a constant), plus `extra` for this answer. */
export function withOwnHeaders(
  body: BodyInit | null,
  status: number,
  headers: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>> = {},
): Response {
  return new Response(body, { status, headers: { ...headers, ...extra } });
}
