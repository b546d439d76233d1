import { describe, expect, it } from 'vitest';
import { P24_RETRY_DELAYS_MS } from '../src/index';
import { type Json, M, NOTIFY, setup, sha384Sign } from './przelewy24-kit';

const MINUTE = 60_000;

const notificationSign = (n: Json, crc = M.crc) =>
  sha384Sign(
    {
      merchantId: n.merchantId,
      posId: n.posId,
      sessionId: n.sessionId,
      amount: n.amount,
      originAmount: n.originAmount,
      currency: n.currency,
      orderId: n.orderId,
      methodId: n.methodId,
      statement: n.statement,
    },
    crc,
  );

describe('Przelewy24 simulator: notifications', () => {
  it('a payment is notified to urlStatus, signed over the documented fields; verify stops the retries', async () => {
    const t = setup();
    const { json } = await t.register({}, 'n-1');
    t.sandbox.przelewy24.act(json.data.token, 'pay');
    await t.sandbox.flush();
    const [n] = t.received;
    expect(n).toMatchObject({
      merchantId: M.merchantId,
      posId: M.posId,
      sessionId: 'n-1',
      amount: 1234,
      originAmount: 1234,
    });
    expect(n?.sign).toBe(notificationSign(n as Json));
    const [delivery] = t.sandbox.przelewy24.deliveries();
    expect(delivery).toMatchObject({ state: 'delivered', call: { url: NOTIFY } });
    await t.sandbox.advance(24 * 60 * MINUTE);
    expect(t.received).toHaveLength(1);
  });

  it('without verify, a 200 does not stop P24: it resends on the 3/5/15/30/60/150/450-minute schedule', async () => {
    const t = setup();
    t.answer.verify = false;
    const { json } = await t.register();
    t.sandbox.przelewy24.act(json.data.token, 'pay');
    expect(P24_RETRY_DELAYS_MS.map((d) => d / MINUTE)).toEqual([3, 5, 15, 30, 60, 150, 450]);
    for (let minute = 0; minute <= 720; minute++) await t.sandbox.advance(MINUTE);
    const [delivery] = t.sandbox.przelewy24.deliveries();
    expect(delivery?.attempts.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(delivery?.state).toBe('gave-up');
  });

  it('decline and abandon send no notification and leave status 0', async () => {
    const t = setup();
    const a = await t.register();
    const b = await t.register();
    expect(t.sandbox.przelewy24.act(a.json.data.token, 'decline').method).toBe('GET');
    expect(t.sandbox.przelewy24.act(b.json.data.token, 'abandon').method).toBe('NONE');
    await t.sandbox.advance(60 * MINUTE);
    expect(t.received).toHaveLength(0);
    expect(t.sandbox.przelewy24.transactions().map((x) => x.status)).toEqual([0, 0]);
    expect(() => t.sandbox.przelewy24.act(a.json.data.token, 'pay')).toThrow(/can no longer be paid/);
  });

  it('faults: duplicates, forged and missing signs', async () => {
    const t = setup({ faults: { duplicate: 2 } });
    t.answer.verify = false;
    const first = await t.register();
    t.sandbox.przelewy24.act(first.json.data.token, 'pay');
    t.sandbox.przelewy24.faults = { signature: 'forged' };
    const second = await t.register();
    t.sandbox.przelewy24.act(second.json.data.token, 'pay');
    t.sandbox.przelewy24.faults = { signature: 'missing' };
    const third = await t.register();
    t.sandbox.przelewy24.act(third.json.data.token, 'pay');
    await t.sandbox.flush();
    expect(t.received).toHaveLength(5);
    const [a, b, c, forged, missing] = t.received as Array<Json>;
    expect(a).toEqual(b);
    expect(b).toEqual(c);
    expect(a?.sign).toBe(notificationSign(a as Json));
    expect(forged?.sign).toMatch(/^[0-9a-f]{96}$/);
    expect(forged?.sign).not.toBe(notificationSign(forged as Json));
    expect(missing && 'sign' in missing).toBe(false);
  });

  it('reorder fault: held notifications are released newest first', async () => {
    const t = setup({ faults: { reorder: true } });
    t.answer.verify = false;
    const one = await t.register({}, 'first');
    const two = await t.register({}, 'second');
    t.sandbox.przelewy24.act(one.json.data.token, 'pay');
    t.sandbox.przelewy24.act(two.json.data.token, 'pay');
    await t.sandbox.flush();
    expect(t.received).toHaveLength(0);
    expect(t.sandbox.przelewy24.releaseHeld()).toBe(2);
    // Released one millisecond apart, newest first.
    await t.sandbox.flush();
    await t.sandbox.advance(1);
    expect(t.received.map((n) => n.sessionId)).toEqual(['second', 'first']);
  });

  it('refund notifications: signed over their own fields (requestId and timestamp unsigned), completed or rejected', async () => {
    const t = setup();
    const { json } = await t.register({}, 'rf');
    t.sandbox.przelewy24.act(json.data.token, 'pay');
    await t.sandbox.flush();
    const orderId = t.sandbox.przelewy24.transactions()[0]?.orderId as number;
    const refund = (id: string, amount: number) =>
      t.api('POST', '/transaction/refund', {
        requestId: id,
        refundsUuid: id,
        urlStatus: NOTIFY,
        refunds: [{ orderId, sessionId: 'rf', amount }],
      });
    await refund('a', 234);
    expect(t.sandbox.przelewy24.completeRefunds('a')).toBe(1);
    await refund('b', 1000);
    expect(t.sandbox.przelewy24.rejectRefunds()).toBe(1);
    await t.sandbox.flush();
    const [completed, rejected] = t.received.slice(1) as Array<Json>;
    expect(completed).toMatchObject({
      orderId,
      sessionId: 'rf',
      refundsUuid: 'a',
      requestId: 'a',
      amount: 234,
      status: 0,
    });
    expect(rejected).toMatchObject({ refundsUuid: 'b', amount: 1000, status: 1 });
    const { orderId: o, sessionId, refundsUuid, amount, currency, status } = completed as Json;
    expect(completed?.sign).toBe(
      sha384Sign(
        { orderId: o, sessionId, refundsUuid, merchantId: M.merchantId, amount, currency, status },
        M.crc,
      ),
    );
    expect(typeof completed?.timestamp).toBe('number');
    // A rejected refund frees its amount again.
    expect((await refund('c', 1000)).status).toBe(201);
  });
});
