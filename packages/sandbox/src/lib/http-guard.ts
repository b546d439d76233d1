/**
 * Request guards every sandbox endpoint shares (issue 14 item 8): a body limit answered with 413, the
 * same default as the bridge's routes, and an Origin check for the hosted pages' state-changing POSTs.
 */

import { HTML, withOwnHeaders } from './response';

/** The bridge's default `maxBodyBytes` (256 KiB). */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export class BodyTooLargeError extends Error {
  readonly code = 'BODY_TOO_LARGE';
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** Reads at most `limit` bytes, refusing a larger declared or streamed body without reading the rest. */
export async function readBoundedBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) {
    await request.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(limit);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The same request with its body read once and bounded; GET and HEAD pass through untouched. */
export async function withBoundedBody(request: Request, limit: number): Promise<Request> {
  if (request.method === 'GET' || request.method === 'HEAD') return request;
  const body = await readBoundedBody(request, limit);
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: body.byteLength > 0 ? body : null,
    signal: request.signal,
  });
}

/**
 * Why a state-changing browser POST is refused as cross-site, or null. Browsers send `Origin` on every
 * form POST; it must be the sandbox's own origin (or the origin of the Host the request was sent to).
 * Without `Origin`, `Sec-Fetch-Site` is used when present; clients that send neither (tests, curl) are
 * not browsers and pass.
 */
export function crossSiteRefusal(request: Request, ownOrigin: string): string | null {
  const origin = request.headers.get('origin');
  if (origin !== null) {
    if (origin === ownOrigin) return null;
    const host = request.headers.get('host');
    let originHost: string | null = null;
    try {
      originHost = origin === 'null' ? null : new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (host !== null && originHost !== null && originHost === host.toLowerCase()) return null;
    return `cross-site form post refused (Origin ${origin.slice(0, 100)})`;
  }
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    return `cross-site form post refused (Sec-Fetch-Site ${site.slice(0, 40)})`;
  }
  return null;
}

export function forbiddenPage(reason: string): Response {
  const text = reason.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return withOwnHeaders(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Forbidden</title></head><body><h1>Forbidden</h1><p>${text}</p></body></html>`,
    403,
    HTML,
  );
}
