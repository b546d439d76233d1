import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSandbox, manualClock } from '../src/index';
import { findSharedResponseHeaders, scanRepository } from './shared-response-headers';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * What @hono/node-server's Response does: it keeps the init object and writes Content-Length into a
 * plain headers object when it sends the body. A shared object then carries a stale length.
 */
class NodeServerLikeResponse extends Response {
  constructor(body?: BodyInit | null, init?: ResponseInit) {
    const headers = init?.headers;
    if (typeof body === 'string' && headers && !(headers instanceof Headers) && !Array.isArray(headers)) {
      const record = headers as Record<string, string>;
      record['content-length'] ??= String(new TextEncoder().encode(body).length);
    }
    super(body, init);
  }
}

describe('issue 14 item 6: no Response is built from a shared mutable headers object', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('issue 14 item 6: the scan finds a module-level headers object passed to a Response', () => {
    const code = `const HTML = { 'content-type': 'text/html' };
export const page = (body: string) => new Response(body, { status: 200, headers: HTML });
export const ok = (body: string) => new Response(body, { headers: { ...HTML } });
export const local = (body: string) => { const HTML = { a: 'b' }; return new Response(body, { headers: HTML }); };
const INIT = { status: 200 };
export const shared = () => Response.json({}, INIT);
export const hono = (c: any) => c.html('x', 200, HTML);`;
    expect(findSharedResponseHeaders(code).map((finding) => finding.line)).toEqual([2, 6, 7]);
  });

  it('issue 14 item 6: no source file in packages/*/src or apps/*/src shares a headers object', () => {
    expect(scanRepository(repoRoot)).toEqual([]);
  });

  it('issue 14 item 6: each PayPal page carries its own Content-Length under a node-server-like Response', async () => {
    vi.stubGlobal('Response', NodeServerLikeResponse);
    const sandbox = createSandbox({
      baseUrl: 'http://sandbox.test',
      clock: manualClock(),
      fetch: async () => new Response(''),
    });
    const bodies = ['charset=x', `charset=${'y'.repeat(200)}`, 'charset=<script>'];
    for (const body of bodies) {
      const response = await sandbox.handler(
        new Request('http://sandbox.test/paypal/cgi-bin/webscr', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
      );
      const text = await response.text();
      expect(response.status).toBe(400);
      expect(response.headers.get('content-length')).toBe(String(new TextEncoder().encode(text).length));
      expect(text).not.toContain('<script>');
      expect(text).not.toContain('y'.repeat(121));
    }
  });
});
