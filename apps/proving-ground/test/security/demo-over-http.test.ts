import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { memoryStore } from '@paybridge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS, listen } from '../../../demo/src/listen';
import { setupDemo, TEST_BUYER } from '../../../demo/test/support/demo';

/**
 * Issue 14 items 9 and 12, replayed over HTTP against the demo served as `server.ts` serves it
 * (`listen`, @hono/node-server): the admin is locked without a password, a cross-site form cannot
 * refund a paid payment even when the browser holds the admin's password, the store-credit page
 * refuses a cross-site confirmation, and a client trickling its headers is cut off.
 */
const PASSWORD = 'security-suite-admin-password';
const EVIL = 'https://evil.test';
let server: Server | null = null;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
  server = null;
});

async function serveDemo(options: Parameters<typeof setupDemo>[2], timeouts = {}) {
  const demo = setupDemo(memoryStore(), {}, options);
  const running = await new Promise<Server>((resolve) => {
    const started: Server = listen(demo.app.fetch, { port: 0, hostname: '127.0.0.1', timeouts }, () =>
      resolve(started),
    );
  });
  server = running;
  const origin = `http://127.0.0.1:${(running.address() as AddressInfo).port}`;
  /** A form another site's page makes the admin's browser post (cookies and basic auth included). */
  const crossSite = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: EVIL, ...headers },
      body,
    });
  return { demo, origin, crossSite };
}

async function paidPaypal(demo: ReturnType<typeof setupDemo>) {
  const { paymentId, redirect } = await demo.startButton('hoodie', 'paypal');
  const { session } = await demo.openHostedPage(redirect);
  await demo.sandbox.paypal.act(session, 'pay');
  await demo.sandbox.flush();
  expect((await demo.payment(paymentId)).status).toBe('paid');
  return paymentId;
}

const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

describe('issue 14 item 9: the demo admin and its forms, over HTTP', () => {
  it('issue 14 item 9: without a password (and not explicitly opened) the admin answers 403 to everyone', async () => {
    const { demo, origin, crossSite } = await serveDemo({ admin: null });
    const paymentId = await paidPaypal(demo);
    expect((await fetch(`${origin}/admin`)).status).toBe(403);
    expect((await fetch(`${origin}/admin/payments/${paymentId}`)).status).toBe(403);
    const refund = await crossSite(`/admin/payments/${paymentId}/refund`, 'amount=', { origin });
    expect(refund.status).toBe(403);
    expect((await demo.payment(paymentId)).amountRefunded).toBe(0);
  });

  it('issue 14 item 9: with a password, no or a wrong password gets 401', async () => {
    const { origin } = await serveDemo({ admin: { password: PASSWORD } });
    expect((await fetch(`${origin}/admin`)).status).toBe(401);
    expect(
      (await fetch(`${origin}/admin`, { headers: { authorization: basic('guess-guess') } })).status,
    ).toBe(401);
    expect((await fetch(`${origin}/admin`, { headers: { authorization: basic(PASSWORD) } })).status).toBe(
      200,
    );
  });

  it("issue 14 item 9: a cross-site form cannot refund or sync a paid payment, even with the admin's password", async () => {
    const { demo, crossSite } = await serveDemo({ admin: { password: PASSWORD } });
    const paymentId = await paidPaypal(demo);
    const before = await demo.bridge.store.listTransitions(paymentId);
    const authorization = basic(PASSWORD);
    const attempts: Array<Record<string, string>> = [
      { authorization },
      { authorization, origin: 'null' },
      { authorization, 'sec-fetch-site': 'cross-site' },
      { authorization, origin: 'http://127.0.0.1.evil.test' },
    ];
    for (const headers of attempts) {
      for (const action of ['refund', 'cancel', 'capture', 'sync']) {
        const response = await crossSite(`/admin/payments/${paymentId}/${action}`, 'amount=49.00', headers);
        expect([action, headers, response.status]).toEqual([action, headers, 403]);
      }
    }
    const after = await demo.payment(paymentId);
    expect([after.status, after.amountRefunded]).toEqual(['paid', 0]);
    expect(await demo.bridge.store.listTransitions(paymentId)).toEqual(before);
  });

  it('issue 14 item 9: shop forms and the store-credit page refuse cross-site posts and spend nothing', async () => {
    const { demo, crossSite } = await serveDemo(undefined);
    const split = await demo.postForm('/split', { product: 'giftbox', backend: 'paypal' });
    const walletUrl = new URL(split.headers.get('location') as string);
    const walletId = walletUrl.pathname.split('/').pop() as string;
    // Even with the buyer's own cookie (SameSite=Lax would keep it off a cross-site POST).
    const cookie = `demo_buyer=${TEST_BUYER}`;
    const confirm = await crossSite(walletUrl.pathname, 'action=confirm', { cookie });
    expect(confirm.status).toBe(403);
    expect((await demo.payment(walletId)).status).toBe('new');
    for (const [path, body] of [
      ['/split', 'product=giftbox&backend=paypal'],
      ['/payments/start', 'backend=paypal&orderId=x'],
    ]) {
      expect((await crossSite(path as string, body as string, { cookie })).status).toBe(403);
    }
    expect((await demo.bridge.store.listPayments({ limit: 10 })).items).toHaveLength(1);
  });
});

describe('issue 14 item 12: server timeouts', () => {
  it("issue 14 item 12: the demo's server does not keep Node's 300 s for a request", async () => {
    await serveDemo(undefined);
    expect(server?.headersTimeout).toBe(DEFAULT_TIMEOUTS.headersTimeoutMs);
    expect(server?.requestTimeout).toBe(DEFAULT_TIMEOUTS.requestTimeoutMs);
    expect(DEFAULT_TIMEOUTS.headersTimeoutMs).toBeLessThanOrEqual(30_000);
    expect(DEFAULT_TIMEOUTS.requestTimeoutMs).toBeLessThanOrEqual(60_000);
  });

  it('issue 14 item 12: a client trickling its headers (slowloris) is cut off after the headers timeout', async () => {
    const { origin } = await serveDemo(undefined, {
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
      checkIntervalMs: 100,
    });
    const socket = connect(Number(new URL(origin).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    const started = Date.now();
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
    socket.write('GET /admin HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const drip = setInterval(() => socket.writable && socket.write('X-Drip: 1\r\n'), 50);
    const elapsed = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
    clearInterval(drip);
    socket.destroy();
    expect(elapsed).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(3000);
    expect(answer).toMatch(/^(HTTP\/1\.1 408|$)/);
  });
});
