import type { MiddlewareHandler } from 'hono';

/**
 * The demo has no accounts, but each browser is its own buyer: a random id in a cookie. It becomes the
 * payments' `buyer.customerId`, so each browser has its own store credit and saved card, and the store
 * credit page serves a payment only to the browser that started it.
 */
export const BUYER_COOKIE = 'demo_buyer';
const BUYER_ID = /^[0-9a-f]{32}$/;

/** The buyer id the request's cookie carries, if it is well-formed. */
export function buyerIdOf(request: Request | null): string | null {
  const header = request?.headers.get('cookie') ?? '';
  for (const part of header.split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === BUYER_COOKIE && value && BUYER_ID.test(value)) return value;
  }
  return null;
}

const newBuyerId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Gives a browser without a buyer id a new one: handlers (and `orders.resolve`) already see it on this
 * request, and the response sets the cookie (HttpOnly, SameSite=Lax: a cross-site POST never carries it).
 */
export function buyerSession(secure: boolean): MiddlewareHandler {
  return async (c, next) => {
    if (buyerIdOf(c.req.raw)) return next();
    const id = newBuyerId();
    const headers = new Headers(c.req.raw.headers);
    const others = headers.get('cookie');
    headers.set('cookie', `${others ? `${others}; ` : ''}${BUYER_COOKIE}=${id}`);
    c.req.raw = new Request(c.req.raw, { headers });
    await next();
    const response = new Response(c.res.body, c.res);
    response.headers.append(
      'set-cookie',
      `${BUYER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000${secure ? '; Secure' : ''}`,
    );
    c.res = response;
  };
}
