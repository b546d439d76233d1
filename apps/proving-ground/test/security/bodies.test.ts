import { describe, expect, it } from 'vitest';
import { createWorld, SHOP, type World } from './world';

/**
 * Oversized and endless bodies on every POST route of the bridge. Each is refused with 413
 * PAYLOAD_TOO_LARGE after reading at most the limit (256 KiB by default), the stream is cancelled,
 * nothing is stored (a notification's refusal is on record without its body), and the process keeps
 * answering other requests meanwhile.
 */
const LIMIT = 256 * 1024;
const CHUNK = 16 * 1024;

interface Route {
  name: string;
  path: (world: World, paymentId: string) => string;
  contentType: string;
}

const ROUTES: Route[] = [
  { name: 'POST /start', path: () => '/start', contentType: 'application/json' },
  ...(['payu', 'paypal', 'cmcic', 'dummy'] as const).map((backend) => ({
    name: `POST /notify/${backend}`,
    path: () => `/notify/${backend}`,
    contentType:
      backend === 'payu' || backend === 'dummy' ? 'application/json' : 'application/x-www-form-urlencoded',
  })),
  {
    name: 'POST /return/dummy/:id',
    path: (_w, id) => `/return/dummy/${id}`,
    contentType: 'application/x-www-form-urlencoded',
  },
  {
    name: 'POST /backend/dummy/pay/:id',
    path: (_w, id) => `/backend/dummy/pay/${id}`,
    contentType: 'application/x-www-form-urlencoded',
  },
];

/** A body that never ends: a chunk per pull, optionally slowly; tells how much was read and if it was cancelled. */
function endless(delayMs = 0) {
  const seen = { bytes: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
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
  const world = createWorld();
  const { paymentId } = await world.start('dummy', 'dummy-1');
  return { world, paymentId, before: await world.snapshot() };
}

async function expectRefused(
  world: World,
  before: Awaited<ReturnType<World['snapshot']>>,
  response: Response,
) {
  expect(response.status).toBe(413);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  const { logged, anomalies } = await world.expectUnchanged(before);
  expect(anomalies).toEqual([]);
  // A notification refused unread is on record (so the merchant sees the attempt), without its bytes.
  for (const message of logged) {
    expect([message.direction, message.kind, message.verdict, message.outcome, message.body]).toEqual([
      'inbound',
      'notification',
      'rejected',
      'too-large',
      '',
    ]);
  }
  return logged;
}

describe.each(ROUTES)('$name', (route) => {
  it('declared oversized (Content-Length past the limit): 413 before reading', async () => {
    const { world, paymentId, before } = await scene();
    const { stream, seen } = endless();
    const request = new Request(`${SHOP}${route.path(world, paymentId)}`, {
      method: 'POST',
      headers: { 'content-type': route.contentType, 'content-length': String(LIMIT + 1) },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expectRefused(world, before, await world.send(request));
    expect(seen.bytes).toBeLessThanOrEqual(CHUNK);
  });

  it('oversized by one byte, fully sent', async () => {
    const { world, paymentId, before } = await scene();
    const request = new Request(`${SHOP}${route.path(world, paymentId)}`, {
      method: 'POST',
      headers: { 'content-type': route.contentType },
      body: new Uint8Array(LIMIT + 1).fill(0x7b),
    });
    await expectRefused(world, before, await world.send(request));
  });

  it('endless chunked body: cancelled at the limit', async () => {
    const { world, paymentId, before } = await scene();
    const { stream, seen } = endless();
    const request = new Request(`${SHOP}${route.path(world, paymentId)}`, {
      method: 'POST',
      headers: { 'content-type': route.contentType },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expectRefused(world, before, await world.send(request));
    expect(seen.cancelled).toBe(true);
    expect(seen.bytes).toBeLessThanOrEqual(LIMIT + 4 * CHUNK);
  });

  it('endless body through the adapter fast path (an async iterable): ended at the limit', async () => {
    const { world, paymentId, before } = await scene();
    const seen = { bytes: 0, ended: false };
    async function* chunks() {
      try {
        for (;;) {
          seen.bytes += CHUNK;
          yield new Uint8Array(CHUNK);
        }
      } finally {
        seen.ended = true;
      }
    }
    const request = new Request(`${SHOP}${route.path(world, paymentId)}`, {
      method: 'POST',
      headers: { 'content-type': route.contentType },
    });
    await expectRefused(
      world,
      before,
      await world.bridge.handler(request, { clientIp: '203.0.113.7', body: chunks() }),
    );
    expect(seen.ended).toBe(true);
    expect(seen.bytes).toBeLessThanOrEqual(LIMIT + CHUNK);
  });
});

describe('a slow endless body does not hold the process', () => {
  it('other requests are answered while it trickles in, and it ends in 413', async () => {
    const { world, paymentId, before } = await scene();
    const { stream, seen } = endless(5);
    const slow = world.send(
      new Request(`${SHOP}/notify/payu`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    let settled = false;
    void slow.finally(() => {
      settled = true;
    });
    const answered: number[] = [];
    for (let i = 0; i < 5; i++) {
      const status = await world.send(new Request(`${SHOP}/status/${paymentId}`));
      answered.push(status.status);
    }
    expect(answered).toEqual([200, 200, 200, 200, 200]);
    expect(settled).toBe(false);
    await expectRefused(world, before, await slow);
    expect(seen.cancelled).toBe(true);
  });
});
