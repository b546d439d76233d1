/**
 * Whether a state-changing browser request comes from one of our own pages (the CSRF check).
 * Browsers that send Fetch metadata say so in `Sec-Fetch-Site`, which also holds behind a tunnel or
 * when our pages set `Referrer-Policy: no-referrer` (the Origin header is then "null"); older browsers
 * are judged by their `Origin`. A request with neither is refused: every browser sends one of them on
 * a POST, so only a non-browser client lacks both, and it can add one.
 */
export function isSameOriginRequest(request: Request, ownOrigin: string): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin';
  return request.headers.get('origin') === ownOrigin;
}

/** Methods that never change state: left to every origin. */
export const isSafeMethod = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
