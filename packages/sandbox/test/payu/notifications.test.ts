import { describe, expect, it } from 'vitest';
import { PAYU_RETRY_OFFSETS_MS, retryDelays } from '../../src/payu/notifications';
import { setup } from '../../src/payu/test-harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('PayU sandbox notifications', () => {
  it('posts the order model to notifyUrl with PayU headers; COMPLETED carries localReceiptDateTime', async () => {
    const t = setup();
    const bearer = await t.token();
    const orderId = await t.actedOrder(bearer, 'pay', { extOrderId: 'ord-1' });
    expect(t.received.map((n) => n.url)).toEqual([
      'https://shop.test/payu/notify',
      'https://shop.test/payu/notify',
    ]);
    const [pending, completed] = t.received;
    expect(pending?.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(pending?.json).toEqual({
      order: expect.objectContaining({
        orderId,
        extOrderId: 'ord-1',
        status: 'PENDING',
        totalAmount: '21000',
      }),
      properties: [{ name: 'PAYMENT_ID', value: expect.stringMatching(/^\d{9}$/) }],
    });
    expect(completed?.json).toEqual({
      order: expect.objectContaining({
        orderId,
        status: 'COMPLETED',
        merchantPosId: '300746',
        currencyCode: 'PLN',
        payMethod: { type: 'PBL' },
        buyer: expect.objectContaining({ email: 'john.doe@example.com' }),
      }),
      localReceiptDateTime: '2026-01-15T13:00:00.000+01:00',
      properties: [{ name: 'PAYMENT_ID', value: expect.any(String) }],
    });
    expect(t.sandbox.payu.deliveries().map((d) => [d.label, d.state])).toEqual([
      ['order:PENDING', 'delivered'],
      ['order:COMPLETED', 'delivered'],
    ]);
  });

  it('sends nothing for an order created without notifyUrl', async () => {
    const t = setup();
    await t.actedOrder(await t.token(), 'pay', { notifyUrl: undefined });
    expect(t.received).toHaveLength(0);
  });

  it('has 20 attempts over 72 h as in the reference table', () => {
    expect(PAYU_RETRY_OFFSETS_MS).toHaveLength(20);
    expect(PAYU_RETRY_OFFSETS_MS.at(-1)).toBe(72 * HOUR);
    expect(retryDelays('from-first').reduce((a, b) => a + b, 0)).toBe(72 * HOUR);
    expect(retryDelays('from-previous')[0]).toBe(MINUTE);
  });

  it('redelivers on non-200 following the schedule on the sandbox clock, then gives up', async () => {
    const t = setup();
    t.merchant.status = 500;
    const { orderId } = await t.createOrder(await t.token());
    await t.sandbox.payu.act(orderId, 'decline');
    const start = t.sandbox.clock.now();
    await t.sandbox.flush();
    expect(t.received).toHaveLength(2);
    // Step through each offset: nothing is sent one ms early, one redelivery (per notification) on time.
    for (const offset of PAYU_RETRY_OFFSETS_MS.slice(1)) {
      const before = t.received.length;
      t.sandbox.clock.advance(start + offset - 1 - t.sandbox.clock.now());
      await t.sandbox.flush();
      expect(t.received.length).toBe(before);
      await t.sandbox.advance(1);
      expect(t.received.length).toBe(before + 2);
    }
    await t.sandbox.advance(100 * HOUR);
    expect(t.received).toHaveLength(40);
    const [pending] = t.sandbox.payu.deliveries();
    expect(pending?.state).toBe('gave-up');
    expect(pending?.attempts.map((a) => a.at - start)).toEqual([...PAYU_RETRY_OFFSETS_MS]);
  });

  it('stops redelivering once the merchant answers 200 (and 2xx other than 200 is not enough)', async () => {
    const t = setup();
    t.merchant.status = 204;
    await t.actedOrder(await t.token(), 'pay');
    expect(t.received).toHaveLength(2);
    t.merchant.status = 200;
    await t.sandbox.advance(MINUTE);
    expect(t.received).toHaveLength(4);
    await t.sandbox.advance(100 * HOUR);
    expect(t.received).toHaveLength(4);
    expect(t.sandbox.payu.deliveries().every((d) => d.state === 'delivered')).toBe(true);
  });

  it('counts a merchant that does not answer within notificationTimeoutMs as a failure and redelivers', async () => {
    const t = setup({ notificationTimeoutMs: 30 });
    t.merchant.hangMs = 400;
    await t.actedOrder(await t.token(), 'pay');
    const first = t.sandbox.payu.deliveries();
    expect(first.map((d) => d.state)).toEqual(['scheduled', 'scheduled']);
    expect(first[0]?.attempts[0]).toMatchObject({ status: null, error: expect.stringMatching(/timed out/) });
    t.merchant.hangMs = 0;
    await t.sandbox.advance(MINUTE);
    expect(t.sandbox.payu.deliveries().map((d) => [d.state, d.attempts.length])).toEqual([
      ['delivered', 2],
      ['delivered', 2],
    ]);
  });

  it('reads the table as gaps between attempts with retryOffsets: from-previous', async () => {
    const t = setup({ retryOffsets: 'from-previous' });
    t.merchant.status = 503;
    const { orderId } = await t.createOrder(await t.token());
    await t.sandbox.payu.act(orderId, 'pay');
    const start = t.sandbox.clock.now();
    await t.sandbox.flush();
    await t.sandbox.advance(MINUTE);
    await t.sandbox.advance(2 * MINUTE);
    await t.sandbox.advance(5 * MINUTE);
    const [first] = t.sandbox.payu.deliveries();
    expect(first?.attempts.map((a) => a.at - start)).toEqual([0, MINUTE, 3 * MINUTE, 8 * MINUTE]);
  });

  it('signs with the configured algorithm', async () => {
    const t = setup({ signatureAlgorithm: 'SHA-512' });
    await t.actedOrder(await t.token(), 'pay');
    expect(t.received[0]?.headers.get('openpayu-signature')).toMatch(
      /;signature=[0-9a-f]{128};algorithm=SHA-512;/,
    );
  });
});
