import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { memoryStore, silentLogger } from '@paybridge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../../demo/src/app';
import { formPost, get, keepAliveConnection } from './keep-alive';

/**
 * Issue 14 item 6, replayed end to end: the demo served by @hono/node-server, one keep-alive
 * connection (as a reverse proxy reuses it between clients). A page whose Response shared a headers
 * object with an earlier, shorter one went out with the earlier Content-Length, leaving the rest of
 * the page — bytes the attacker chose, the echoed `charset` — to be read as the answer to the *next*
 * request on the connection. Every answer must be framed by its own length.
 */
let server: ReturnType<typeof serve>;
let port = 0;
const demo = createDemo({
  publicUrl: 'http://127.0.0.1',
  store: memoryStore(),
  env: { PAYBRIDGE_SECRET: 'a-test-secret-of-at-least-32-characters!', DEMO_ADMIN_PASSWORD: 'x'.repeat(20) },
  deliveryIntervalMs: false,
  logger: silentLogger,
});

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: demo.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  demo.close();
  await new Promise((resolve) => server.close(resolve));
});

// The smuggled answer an attacker would like the next client to receive.
const SMUGGLED = '\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 6\r\n\r\nPWNED!';
const WEBSCR = '/sandbox/paypal/cgi-bin/webscr';

describe('issue 14 item 6: response framing on a keep-alive connection', () => {
  it('a short sandbox page, then a long one carrying attacker bytes, then a victim request', async () => {
    const connection = keepAliveConnection(port);
    try {
      const short = await connection.send(formPost(WEBSCR, 'charset=x'));
      expect(short?.status).toBe(400);
      expect(short?.body.endsWith('</html>')).toBe(true);
      const long = await connection.send(
        formPost(WEBSCR, `charset=${encodeURIComponent(`${'y'.repeat(90)}${SMUGGLED}`)}`),
      );
      expect(long?.status).toBe(400);
      expect(long?.body.endsWith('</html>')).toBe(true);
      const victim = await connection.send(get('/sandbox/nowhere'));
      expect([victim?.status, victim?.body]).toEqual([404, 'Not found in the paybridge sandbox']);
      expect(await connection.leftover()).toBe('');
    } finally {
      connection.close();
    }
  });

  it('pages of every part of the demo, alternating lengths, each framed by its own length', async () => {
    const connection = keepAliveConnection(port);
    const checkout = new URLSearchParams({
      cmd: '_xclick',
      business: 'merchant@example.com',
      amount: '1.00',
      currency_code: 'EUR',
      return: 'http://127.0.0.1/payments/return/paypal/x',
    });
    const requests = [
      formPost(WEBSCR, 'charset=a'),
      formPost(WEBSCR, `${checkout}&item_name=${'z'.repeat(400)}`),
      formPost(WEBSCR, `charset=${'b'.repeat(100)}`),
      formPost(WEBSCR, `${checkout}&item_name=i`),
      formPost('/sandbox/cmcic/test/paiement.cgi', 'TPE=1'),
      get('/payments/status/nope'),
      formPost('/payments/start', 'backend=nope'),
      get('/orders/nope'),
      get('/sandbox/paypal/checkout/EC-NOPE'),
      formPost(WEBSCR, 'charset=c'),
    ];
    try {
      for (const request of [...requests, ...requests.reverse()]) {
        const response = await connection.send(request);
        expect(response).not.toBeNull();
        const type = response?.headers['content-type'] ?? '';
        if (type.includes('html')) expect(response?.body.trimEnd().endsWith('</html>')).toBe(true);
        if (type.includes('json')) expect(() => JSON.parse(response?.body ?? '')).not.toThrow();
      }
      expect(await connection.leftover()).toBe('');
    } finally {
      connection.close();
    }
  });
});
