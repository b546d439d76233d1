import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSignatureHeader } from '../../src/payu/signature';
import { POS, setup } from '../../src/payu/test-harness';

const orderStatuses = (t: ReturnType<typeof setup>) =>
  t.received.map((n) => (n.json.order as { status: string } | undefined)?.status);

describe('PayU sandbox faults', () => {
  it('duplicate: every notification arrives 1 + n times with identical bytes', async () => {
    const t = setup();
    t.sandbox.payu.faults.duplicate = 2;
    await t.actedOrder(await t.token(), 'pay');
    expect(orderStatuses(t)).toEqual([
      'PENDING',
      'PENDING',
      'PENDING',
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
    ]);
    expect(t.received[4]?.raw).toEqual(t.received[3]?.raw);
    expect(t.received[4]?.headers.get('openpayu-signature')).toBe(
      t.received[3]?.headers.get('openpayu-signature'),
    );
  });

  it('staleCanceledAfterCompleted: a validly signed CANCELED arrives after COMPLETED; the order stays COMPLETED', async () => {
    const t = setup({ faults: { staleCanceledAfterCompleted: true } });
    const bearer = await t.token();
    const orderId = await t.actedOrder(bearer, 'pay');
    expect(orderStatuses(t)).toEqual(['PENDING', 'COMPLETED', 'CANCELED']);
    const stale = t.received[2];
    const signature = parseSignatureHeader(stale?.headers.get('openpayu-signature') ?? '').signature;
    expect(signature).toBe(
      createHash('md5')
        .update(stale?.raw ?? new Uint8Array())
        .update(POS.secondKey)
        .digest('hex'),
    );
    const order = await (await t.api(`/orders/${orderId}`, bearer)).json();
    expect(order).toMatchObject({ orders: [{ status: 'COMPLETED' }] });
  });

  it.each([
    ['pay', 'COMPLETED'],
    ['pay_wfc', 'WAITING_FOR_CONFIRMATION'],
    ['decline', 'CANCELED'],
  ] as const)('reorder: after %s, %s arrives before PENDING, both validly signed', async (action, last) => {
    const t = setup({ faults: { reorder: true } });
    await t.actedOrder(await t.token(), action);
    expect(orderStatuses(t)).toEqual([last, 'PENDING']);
    for (const n of t.received) {
      const parts = parseSignatureHeader(n.headers.get('openpayu-signature') ?? '');
      expect(parts.signature).toBe(createHash('md5').update(n.raw).update(POS.secondKey).digest('hex'));
    }
    expect(t.sandbox.payu.orders()[0]?.status).toBe(last);
  });

  it('signature forged: well-formed header that does not verify with the second key', async () => {
    const t = setup();
    t.sandbox.payu.faults.signature = 'forged';
    await t.actedOrder(await t.token(), 'pay');
    for (const n of t.received) {
      const parts = parseSignatureHeader(n.headers.get('openpayu-signature') ?? '');
      expect(parts.signature).toMatch(/^[0-9a-f]{32}$/);
      expect(parts.signature).not.toBe(createHash('md5').update(n.raw).update(POS.secondKey).digest('hex'));
    }
  });

  it('signature missing: no signature header of either name', async () => {
    const t = setup();
    t.sandbox.payu.faults = { signature: 'missing' };
    await t.actedOrder(await t.token(), 'pay');
    expect(t.received).toHaveLength(2);
    for (const n of t.received) {
      expect(n.headers.get('openpayu-signature')).toBeNull();
      expect(n.headers.get('x-openpayu-signature')).toBeNull();
    }
  });

  it('signature sha256: SHA-256 instead of MD5, still valid', async () => {
    const t = setup();
    t.sandbox.payu.faults.signature = 'sha256';
    await t.actedOrder(await t.token(), 'pay');
    const n = t.received[1];
    const parts = parseSignatureHeader(n?.headers.get('openpayu-signature') ?? '');
    expect(parts.algorithm).toBe('SHA-256');
    expect(parts.signature).toBe(
      createHash('sha256')
        .update(n?.raw ?? new Uint8Array())
        .update(POS.secondKey)
        .digest('hex'),
    );
  });

  it('apiError: the next `remaining` API calls answer the 5xx with PayU’s body, OAuth is not affected', async () => {
    const t = setup();
    t.sandbox.payu.faults.apiError = { status: 503, remaining: 2 };
    const bearer = await t.token();
    const first = await t.createOrder(bearer);
    expect(first.response.status).toBe(503);
    expect(first.json).toEqual({
      status: { statusCode: 'SERVICE_NOT_AVAILABLE', statusDesc: 'Service temporarily unavailable' },
    });
    expect((await t.createOrder(bearer)).response.status).toBe(503);
    expect((await t.createOrder(bearer)).response.status).toBe(302);
    expect(t.sandbox.payu.faults.apiError?.remaining).toBe(0);
    expect(t.sandbox.payu.orders()).toHaveLength(1);
    t.sandbox.payu.faults.apiError = { status: 500, remaining: 1 };
    const failed = await t.api('/orders/X', bearer);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ status: { statusCode: 'GENERAL_ERROR' } });
  });

  it('apiTimeoutMs: answers late, and a caller that gives up sees its abort', async () => {
    const t = setup();
    const bearer = await t.token();
    t.sandbox.payu.faults.apiTimeoutMs = 80;
    const started = performance.now();
    const slow = await t.createOrder(bearer);
    expect(slow.response.status).toBe(302);
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    t.sandbox.payu.faults.apiTimeoutMs = 5_000;
    const aborted = t.sandbox.handler(
      new Request('http://sandbox.test/sb/payu/api/v2_1/orders', {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}` },
        body: '{}',
        signal: AbortSignal.timeout(20),
      }),
    );
    await expect(aborted).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(t.sandbox.payu.orders()).toHaveLength(1);
  });

  it('apiLateAnswerMs: the call is carried out, only its answer is late (an abort comes after the work)', async () => {
    const t = setup();
    const bearer = await t.token();
    const orderId = await t.actedOrder(bearer, 'pay_wfc');
    t.sandbox.payu.faults.apiLateAnswerMs = 5_000;
    const capture = t.sandbox.handler(
      new Request(`http://sandbox.test/sb/payu/api/v2_1/orders/${orderId}/captures`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}` },
        signal: AbortSignal.timeout(20),
      }),
    );
    await expect(capture).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(t.sandbox.payu.orders()[0]?.status).toBe('COMPLETED');
    t.sandbox.payu.faults.apiLateAnswerMs = 0;
    await t.sandbox.flush();
    expect(orderStatuses(t).at(-1)).toBe('COMPLETED');
  });

  it('refundWithoutAmount: refund notifications look like a panel refund (no amount, no currency)', async () => {
    const t = setup();
    const bearer = await t.token();
    const orderId = await t.actedOrder(bearer, 'pay');
    t.sandbox.payu.faults.refundWithoutAmount = true;
    await t.api(`/orders/${orderId}/refunds`, bearer, {
      method: 'POST',
      body: JSON.stringify({ refund: { description: 'panel' } }),
    });
    t.sandbox.payu.finalizeRefunds();
    await t.sandbox.flush();
    const refund = t.received.at(-1)?.json.refund as Record<string, unknown>;
    expect(Object.keys(refund).sort()).toEqual(['reason', 'refundDate', 'refundId', 'status']);
    expect(refund.status).toBe('FINALIZED');
  });

  it('token expiry mid-flow: a token issued before expireTokens() fails, the notification flow is unaffected', async () => {
    const t = setup();
    const bearer = await t.token();
    const { orderId } = await t.createOrder(bearer);
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    t.sandbox.payu.expireTokens();
    await t.sandbox.flush();
    expect(orderStatuses(t)).toEqual(['PENDING', 'WAITING_FOR_CONFIRMATION']);
    expect((await t.api(`/orders/${orderId}/captures`, bearer, { method: 'POST' })).status).toBe(401);
    const fresh = await t.token();
    expect((await t.api(`/orders/${orderId}/captures`, fresh, { method: 'POST' })).status).toBe(200);
  });
});
