import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PAYU_POS } from '../../chaos/brokers';
import { type Captured, createWorld, replay, text, type World } from './world';

/**
 * PayU notifications an attacker can post to /notify/payu (protocols/payu.md §4.3: the signature is
 * MD5 or SHA-256 of body ‖ second key, in the OpenPayu-Signature header). Every one is refused with
 * 400, logged as rejected, and changes no payment, transition or event.
 */
const header = (signature: string, algorithm = 'MD5') =>
  `sender=checkout;signature=${signature};algorithm=${algorithm};content=DOCUMENT`;
const digest = (algorithm: 'md5' | 'sha256', body: string, key: string) =>
  createHash(algorithm).update(body).update(key).digest('hex');

interface Scene {
  world: World;
  /** A payment the attacker paid for honestly, and its genuine COMPLETED notification. */
  paid: { paymentId: string; completed: Captured };
  /** Someone's unpaid payment (hosted page open at PayU), the attacker's target. */
  victim: { paymentId: string; orderId: string };
}

async function scene(): Promise<Scene> {
  const world = createWorld();
  const { paymentId, messages } = await world.pay('payu');
  const completed = messages.find((m) => text(m.body).includes('"status":"COMPLETED"'));
  if (!completed) throw new Error('no COMPLETED notification');
  const started = await world.start('payu', 'payu-2');
  await world.open(started.redirect);
  const victim = await world.store.getPayment(started.paymentId);
  return {
    world,
    paid: { paymentId, completed },
    victim: { paymentId: started.paymentId, orderId: victim?.externalId as string },
  };
}

/** The attacker's own genuine COMPLETED rewritten to name the victim's order. */
function aboutVictim({ paid, victim }: Scene): string {
  const json = JSON.parse(text(paid.completed.body)) as { order: Record<string, unknown> };
  json.order.orderId = victim.orderId;
  json.order.extOrderId = victim.paymentId;
  return JSON.stringify(json);
}

function withSignature(message: Captured, value: string | null): Headers {
  const headers = new Headers(message.headers);
  headers.delete('openpayu-signature');
  headers.delete('x-openpayu-signature');
  if (value !== null) headers.set('openpayu-signature', value);
  return headers;
}

async function expectRefused(s: Scene, request: Request, answer: string) {
  const before = await s.world.snapshot();
  const response = await s.world.send(request);
  expect(response.status).toBe(400);
  expect(await response.text()).toContain(answer);
  const { logged, anomalies } = await s.world.expectUnchanged(before);
  const inbound = logged.filter((m) => m.direction === 'inbound');
  expect(inbound.map((m) => [m.direction, m.kind, m.verdict, m.responseStatus])).toEqual([
    ['inbound', 'notification', 'rejected', 400],
  ]);
  // Verify-or-pull (issue 15): the refused message names the victim, so PayU is asked for the
  // victim's order status (OAuth, then a read) — at most once per pullIntervalSeconds — and nothing else.
  const outbound = logged.filter((m) => m.direction === 'outbound').map((m) => m.kind);
  expect(outbound.every((kind) => kind === 'oauth' || kind === 'retrieve-order')).toBe(true);
  expect(outbound.filter((kind) => kind === 'retrieve-order').length).toBeLessThanOrEqual(1);
  expect(anomalies.every((a) => a.name === 'payment.anomaly')).toBe(true);
  const victim = await s.world.store.getPayment(s.victim.paymentId);
  expect(victim?.status).toBe('new');
  expect(victim?.amountPaid).toBe(0);
}

describe('PayU notifications an attacker posts', () => {
  it('forged: COMPLETED for the victim with a random MD5 signature', async () => {
    const s = await scene();
    const body = aboutVictim(s);
    const forged = header('0123456789abcdef0123456789abcdef');
    await expectRefused(
      s,
      replay(s.paid.completed, { body, headers: withSignature(s.paid.completed, forged) }),
      'BAD SIGNATURE',
    );
  });

  it('unsigned: COMPLETED for the victim without any signature header', async () => {
    const s = await scene();
    const request = replay(s.paid.completed, {
      body: aboutVictim(s),
      headers: withSignature(s.paid.completed, null),
    });
    await expectRefused(s, request, 'NO SIGNATURE');
  });

  it('tampered: the genuine signature kept over a body naming the victim', async () => {
    const s = await scene();
    await expectRefused(s, replay(s.paid.completed, { body: aboutVictim(s) }), 'BAD SIGNATURE');
  });

  it('tampered: the genuine notification with another amount, signature kept', async () => {
    const s = await scene();
    const body = text(s.paid.completed.body).replace('"totalAmount":"21000"', '"totalAmount":"100"');
    expect(body).not.toBe(text(s.paid.completed.body));
    await expectRefused(s, replay(s.paid.completed, { body }), 'BAD SIGNATURE');
  });

  it.each([
    ['the OAuth client secret', 'md5', PAYU_POS.clientSecret, 'MD5'],
    ['the POS id', 'md5', PAYU_POS.posId, 'MD5'],
    ['no key at all', 'sha256', '', 'SHA-256'],
  ] as const)('signed with %s instead of the second key', async (_name, hash, key, algorithm) => {
    const s = await scene();
    const body = aboutVictim(s);
    const headers = withSignature(s.paid.completed, header(digest(hash, body, key), algorithm));
    await expectRefused(s, replay(s.paid.completed, { body, headers }), 'BAD SIGNATURE');
  });

  it.each(['NONE', 'CRC32', 'HMAC-SHA256'])(
    'an algorithm PayU does not use (%s), valued with the right key',
    async (algorithm) => {
      const s = await scene();
      const body = aboutVictim(s);
      const value =
        algorithm === 'HMAC-SHA256'
          ? createHmac('sha256', PAYU_POS.secondKey).update(body).digest('hex')
          : algorithm === 'NONE'
            ? ''
            : 'deadbeef';
      const headers = withSignature(s.paid.completed, header(value, algorithm));
      await expectRefused(s, replay(s.paid.completed, { body, headers }), 'SIGNATURE');
    },
  );

  it('forged refund: FINALIZED for the paid payment with a random signature', async () => {
    const s = await scene();
    const body = JSON.stringify({
      orderId: (await s.world.store.getPayment(s.paid.paymentId))?.externalId,
      extOrderId: s.paid.paymentId,
      refund: {
        refundId: '5000000001',
        amount: '21000',
        currencyCode: 'PLN',
        status: 'FINALIZED',
        statusDateTime: '2026-03-01T10:05:00.000+01:00',
        reason: 'refund',
        reasonDescription: 'forged',
      },
    });
    const headers = withSignature(s.paid.completed, header('ffffffffffffffffffffffffffffffff'));
    await expectRefused(s, replay(s.paid.completed, { body, headers }), 'BAD SIGNATURE');
    expect((await s.world.store.getPayment(s.paid.paymentId))?.amountRefunded).toBe(0);
  });

  it('replayed: the genuine COMPLETED posted again, three times at once, changes nothing', async () => {
    const s = await scene();
    const before = await s.world.snapshot();
    const responses = await Promise.all([1, 2, 3].map(() => s.world.send(replay(s.paid.completed))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const { logged, anomalies, reported } = await s.world.expectUnchanged(before, ['payment.processed']);
    expect(anomalies).toEqual([]);
    // Each copy is a verified confirmation (payment.processed), none a change (no accepted, no transition).
    expect(reported).toHaveLength(3);
    expect(logged.map((m) => [m.verdict, m.paymentId])).toEqual(
      [1, 2, 3].map(() => ['verified', s.paid.paymentId]),
    );
    expect((await s.world.store.getPayment(s.paid.paymentId))?.status).toBe('paid');
  });

  it('replayed out of order: the genuine PENDING after COMPLETED never takes the payment back', async () => {
    const s = await scene();
    const pending = s.world.captured.find(
      (m) => text(m.body).includes('"status":"PENDING"') && text(m.body).includes(s.paid.paymentId),
    ) as Captured;
    expect(pending).toBeDefined();
    const before = await s.world.snapshot();
    expect((await s.world.send(replay(pending))).status).toBe(200);
    const { anomalies, reported } = await s.world.expectUnchanged(before, ['payment.processed']);
    expect(anomalies).toEqual([]);
    expect(reported).toEqual([{ name: 'payment.processed', paymentId: s.paid.paymentId }]);
  });
});
