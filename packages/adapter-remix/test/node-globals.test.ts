import { installGlobals } from '@remix-run/node';
import { describe, expect, it } from 'vitest';
import { BASE, remixShop, signedNotification, startRequest } from './support/remix-shop';

// Remix v2 apps call `installGlobals()` (remix-serve and the Vite template do): `Request`,
// `Response` and `Headers` become @remix-run/web-fetch's classes, not Node's. The route must serve
// those requests, which `instanceof` checks against Node's classes would refuse. Vitest runs each
// file in its own context, so the swap stays inside this file.
const NodeRequest = globalThis.Request;
const NodeResponse = globalThis.Response;
installGlobals({ nativeFetch: false });

describe('createPaybridgeRoute under @remix-run/node’s fetch polyfill', () => {
  it('serves polyfilled requests through Remix’s handler, raw bytes and all', async () => {
    expect(globalThis.Request).not.toBe(NodeRequest);
    const { handle, seen } = remixShop();

    const request = startRequest();
    expect(request).not.toBeInstanceOf(NodeRequest);
    const started = await handle(request, { clientIp: '203.0.113.9' });
    expect(started.status).toBe(200);
    const { payment } = (await started.json()) as { payment: { id: string } };
    expect(seen.prepare).toEqual(['203.0.113.9']);

    const { body, signature } = await signedNotification(payment.id);
    const notify = (text: string) =>
      handle(
        new Request(`${BASE}/notify/dummy`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-dummy-signature': signature },
          body: text,
        }),
      );
    expect((await notify(body.replace('\t', ' '))).status).toBe(400);
    const accepted = await notify(body);
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toBe('OK');

    const status = await handle(new Request(`${BASE}/status/${payment.id}`));
    expect(status).not.toBeInstanceOf(NodeResponse);
    expect(status.headers.get('content-type')).toContain('application/json');
    expect(await status.json()).toMatchObject({ id: payment.id, status: 'paid' });
  });

  it('serves a request made by another fetch implementation than the global one', async () => {
    // Remix rebuilds the request with the global class before calling a loader, so this case is
    // met by the route itself, as React Router or a custom server may hand it one.
    const { route, seen } = remixShop();
    // Node's own Request while the polyfill is global: what a second copy of a fetch library gives.
    const foreign = new NodeRequest(`${BASE}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ backend: 'dummy', orderId: 'order-1' }),
    });
    expect(foreign).not.toBeInstanceOf(globalThis.Request);
    const started = await route.action({
      request: foreign,
      context: { clientIp: '198.51.100.4' },
      params: { '*': 'start' },
    });
    expect(started.status).toBe(200);
    expect(((await started.json()) as { payment: { status: string } }).payment.status).toBe('new');
    expect(seen.prepare).toEqual(['198.51.100.4']);
  });
});
