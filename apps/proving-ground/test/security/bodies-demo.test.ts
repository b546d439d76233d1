import { memoryStore } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { setupDemo } from '../../../demo/test/support/demo';

/**
 * Issue 14 item 8, replayed against the demo as deployed: oversized and endless bodies on the
 * sandbox's form and API endpoints (mounted under the demo at /sandbox) and on the demo's own forms.
 * Each is refused with 413 like the bridge's routes, after reading at most the limit, and nothing is
 * stored (no payment, no broker-side order or session).
 */
const LIMIT = 256 * 1024;
const CHUNK = 16 * 1024;
const PASSWORD = 'security-suite-admin-password';
const FORM = 'application/x-www-form-urlencoded';

const ROUTES: Array<{ path: string; type: string; admin?: boolean }> = [
  { path: '/sandbox/paypal/cgi-bin/webscr', type: FORM },
  { path: '/sandbox/paypal/checkout/EC-ANY', type: FORM },
  { path: '/sandbox/payu/pay/?orderId=X&token=Y', type: FORM },
  { path: '/sandbox/payu/pl/standard/user/oauth/authorize', type: FORM },
  { path: '/sandbox/payu/api/v2_1/orders', type: 'application/json' },
  { path: '/sandbox/cmcic/test/paiement.cgi', type: FORM },
  { path: '/sandbox/cmcic/paiement.cgi', type: FORM },
  { path: '/sandbox/cmcic/session/abc', type: FORM },
  { path: '/split', type: FORM },
  { path: '/orders/any/pay-rest', type: FORM },
  { path: '/admin/payments/any/refund', type: FORM, admin: true },
  { path: '/admin/sandbox/advance', type: FORM, admin: true },
];

/** A chunked body with no end in sight (it stops at 16 MiB, so a server that reads it all fails the test rather than the machine). */
function endless() {
  const seen = { bytes: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.bytes >= 16 * 1024 * 1024) return controller.close();
      seen.bytes += CHUNK;
      controller.enqueue(new Uint8Array(CHUNK).fill(0x61));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

async function scene() {
  const demo = setupDemo(memoryStore(), { DEMO_ADMIN_PASSWORD: PASSWORD });
  const nothingStored = async () => {
    expect((await demo.bridge.store.listPayments({ limit: 10 })).items).toEqual([]);
    expect(demo.sandbox.paypal.transactions()).toEqual([]);
    expect(demo.sandbox.payu.orders()).toEqual([]);
    expect(demo.sandbox.queue.pending()).toEqual([]);
  };
  const headers = (route: (typeof ROUTES)[number], extra: Record<string, string> = {}) => ({
    'content-type': route.type,
    origin: 'http://demo.test',
    ...(route.admin ? { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` } : {}),
    ...extra,
  });
  return { demo, nothingStored, headers };
}

describe.each(ROUTES)('issue 14 item 8: POST $path', (route) => {
  it('issue 14 item 8: one byte over the limit is refused with 413', async () => {
    const { demo, nothingStored, headers } = await scene();
    const response = await demo.request(route.path, {
      method: 'POST',
      headers: headers(route),
      body: new Uint8Array(LIMIT + 1).fill(0x61),
    });
    expect(response.status).toBe(413);
    await nothingStored();
  });

  it('issue 14 item 8: an endless chunked body is cut at the limit with 413', async () => {
    const { demo, nothingStored, headers } = await scene();
    const { stream, seen } = endless();
    const response = await demo.request(route.path, {
      method: 'POST',
      headers: headers(route),
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(seen.bytes).toBeLessThanOrEqual(LIMIT + 4 * CHUNK);
    await nothingStored();
  });

  it('issue 14 item 8: a declared Content-Length past the limit is refused before reading', async () => {
    const { demo, nothingStored, headers } = await scene();
    const { stream, seen } = endless();
    const response = await demo.request(route.path, {
      method: 'POST',
      headers: headers(route, { 'content-length': String(100 * 1024 * 1024) }),
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(seen.bytes).toBeLessThanOrEqual(CHUNK * 2);
    await nothingStored();
  });
});

describe('issue 14 item 8: a slow endless body does not hold the demo', () => {
  it('issue 14 item 8: pages are served while it trickles into the sandbox, and it ends in 413', async () => {
    const { demo, nothingStored } = await scene();
    const seen = { bytes: 0 };
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.bytes += CHUNK;
        controller.enqueue(new Uint8Array(CHUNK).fill(0x61));
      },
    });
    const slow = Promise.resolve(
      demo.request('/sandbox/paypal/cgi-bin/webscr', {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    let settled = false;
    void slow.finally(() => {
      settled = true;
    });
    for (let i = 0; i < 3; i++) expect((await demo.request('/orders/none')).status).toBe(404);
    expect(settled).toBe(false);
    expect((await slow).status).toBe(413);
    expect(seen.bytes).toBeLessThanOrEqual(LIMIT + 4 * CHUNK);
    await nothingStored();
  });
});
