import { describe, expect, it } from 'vitest';
import type { BackendFetch, PaymentBackend } from '../src/backend';
import { dummy } from '../src/dummy-backend';
import { silentLogger } from '../src/logger';
import { memoryStore } from '../src/memory-store';
import { createPaybridge } from '../src/paybridge';

const SECRET = 'client-secret-0123456789abcdef';

/** A backend whose prepare makes the outbound calls the test asks for. */
function caller(calls: (fetch: BackendFetch) => Promise<void>): PaymentBackend {
  return {
    ...dummy({ signingKey: 'k'.repeat(32) }),
    secrets: [SECRET],
    async prepare(payment, ctx) {
      await calls(ctx.fetch);
      return { redirect: { method: 'GET', url: `https://broker.example/pay/${payment.id}` } };
    },
  };
}

async function run(calls: (fetch: BackendFetch) => Promise<void>, fetch: typeof globalThis.fetch) {
  const store = memoryStore();
  const bridge = createPaybridge({
    baseUrl: 'https://shop.example/payments',
    backends: [caller(calls)],
    store,
    fetch,
    logger: silentLogger,
    outboxPollSeconds: 0,
    orders: { resolve: () => ({ amount: 100, currency: 'EUR', description: 'x' }) },
  });
  const started = await bridge
    .startPayment({ backend: 'dummy', orderId: 'o' })
    .catch((error: unknown) => error);
  const log = (await store.listMessages({ direction: 'outbound' })).items.reverse();
  return { started, log };
}

describe('outbound broker calls', () => {
  it('logs every request and answer with secrets redacted, whatever the body type', async () => {
    const { log } = await run(
      async (fetch) => {
        await fetch(
          'https://broker.example/oauth',
          { method: 'POST', body: new URLSearchParams({ client_id: '1', client_secret: SECRET }) },
          { kind: 'oauth' },
        );
        await fetch(
          'https://broker.example/postback',
          { method: 'POST', body: Uint8Array.from([0x63, 0x3d, 0xe9]) as BodyInit },
          { kind: 'postback' },
        );
        await fetch(
          'https://broker.example/orders',
          { method: 'POST', body: JSON.stringify({ key: SECRET }) },
          { kind: 'order' },
        );
      },
      async () => new Response(JSON.stringify({ access_token: 'tok-abc', echo: SECRET }), { status: 200 }),
    );
    expect(log.map((m) => [m.kind, m.bodyEncoding, m.responseStatus])).toEqual([
      ['oauth', 'utf8', 200],
      ['postback', 'base64', 200],
      ['order', 'utf8', 200],
    ]);
    expect(log[0]?.body).toBe('client_id=1&client_secret=[REDACTED]');
    // Bytes that are not UTF-8 (a windows-1252 "é") are kept exactly, as base64.
    expect(log[1]?.body).toBe(btoa(String.fromCharCode(0x63, 0x3d, 0xe9)));
    const text = JSON.stringify(log);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('tok-abc');
  });

  it('times out a call that hangs, logs it as failed, and fails the attempt as BROKER_UNAVAILABLE', async () => {
    const { started, log } = await run(
      async (fetch) => {
        await fetch('https://broker.example/slow', { method: 'GET' }, { kind: 'slow', timeoutMs: 30 });
      },
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    expect(started).toMatchObject({
      code: 'BROKER_UNAVAILABLE',
      message: expect.stringContaining('timed out after 30 ms'),
    });
    expect(log).toEqual([
      expect.objectContaining({ kind: 'slow', outcome: 'failed', detail: 'timed out after 30 ms' }),
    ]);
  });
  it('keeps secrets out of the reason a failed start records', async () => {
    const store = memoryStore();
    const leaky: PaymentBackend = {
      ...caller(async () => {}),
      async prepare() {
        throw new Error(`broker said: bad client_secret ${SECRET}`);
      },
    };
    const bridge = createPaybridge({
      baseUrl: 'https://shop.example/payments',
      backends: [leaky],
      store,
      logger: silentLogger,
      outboxPollSeconds: 0,
      orders: { resolve: () => ({ amount: 100, currency: 'EUR', description: 'x' }) },
    });
    const reasons: Array<string | null> = [];
    bridge.on('payment.declined', (event) => {
      reasons.push(event.reason);
    });
    const error = await bridge.startPayment({ backend: 'dummy', orderId: 'o' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BROKER_ERROR' });
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(reasons).toEqual([expect.stringContaining('[REDACTED]')]);
    const [payment] = (await store.listPayments({ orderId: 'o' })).items;
    expect(payment?.status).toBe('failed');
    expect(JSON.stringify(await store.listTransitions(payment?.id as string))).not.toContain(SECRET);
  });
});
