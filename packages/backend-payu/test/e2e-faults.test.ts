import { describe, expect, it } from 'vitest';
import { setup } from './support/e2e';

/** Every fault of the PayU sandbox, end to end through the bridge (see lib/e2e-harness.ts). */
describe('PayU faults through the sandbox', () => {
  it('duplicates: every notification delivered several times is applied once and answered 200', async () => {
    const t = setup();
    t.sandbox.payu.faults.duplicate = 2;
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'pending', 'paid']);
    const inbound = (await t.messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
    expect(inbound.length).toBeGreaterThanOrEqual(4);
    expect(inbound.every((m) => m.responseStatus === 200)).toBe(true);
  });

  it('reordering: a stale CANCELED after COMPLETED never takes a paid payment back', async () => {
    const t = setup();
    t.sandbox.payu.faults.staleCanceledAfterCompleted = true;
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    await t.sandbox.advance(3_600_000);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'pending', 'paid']);
    const inbound = await t.notifications(paymentId);
    const stale = inbound.filter((m) => m.body.includes('"CANCELED"'));
    // Verified (signed by PayU) and acknowledged, so PayU does not redeliver it; it changed nothing.
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ verdict: 'verified', responseStatus: 200 });
    expect(inbound.every((m) => m.responseStatus === 200)).toBe(true);
  });

  it.each([
    ['pay', 'COMPLETED', 'paid', 21000],
    ['pay_wfc', 'WAITING_FOR_CONFIRMATION', 'authorized', 0],
    ['decline', 'CANCELED', 'failed', 0],
  ] as const)(
    'reordering: after %s, %s arrives before PENDING; the late PENDING changes nothing',
    async (action, final, status, amountPaid) => {
      const t = setup();
      t.sandbox.payu.faults.reorder = true;
      const { paymentId, orderId } = await t.start();
      await t.sandbox.payu.act(orderId, action);
      await t.sandbox.flush();
      expect(await t.get(paymentId)).toMatchObject({ status, amountPaid });
      expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', status]);
      const inbound = await t.notifications(paymentId);
      // The message log lists newest first.
      expect(inbound.map((m) => /"status":"(\w+)"\}/.exec(m.body)?.[1]).reverse()).toEqual([
        final,
        'PENDING',
      ]);
      expect(inbound.every((m) => m.verdict === 'verified' && m.responseStatus === 200)).toBe(true);
    },
  );

  it.each(['forged', 'missing'] as const)(
    'a %s signature is logged, rejected non-200 and changes nothing; the pull of the order it names pays it (verify-or-pull)',
    async (signature) => {
      const t = setup();
      t.sandbox.payu.faults.signature = signature;
      const { paymentId, orderId } = await t.start();
      const orderReads = async () =>
        (await t.messages(paymentId, 'outbound')).filter((m) => m.kind === 'retrieve-order').length;
      const before = await orderReads();
      await t.sandbox.payu.act(orderId, 'pay');
      await t.sandbox.flush();
      const rejected = (await t.allMessages()).filter(
        (m) => m.kind === 'notification' && m.verdict === 'rejected',
      );
      expect(rejected.length).toBeGreaterThanOrEqual(2);
      expect(rejected.every((m) => m.responseStatus === 400)).toBe(true);
      // Each names the payment it is about, though none was verified.
      expect(rejected.every((m) => m.paymentId === paymentId)).toBe(true);
      const inbound = (await t.messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
      expect(inbound.filter((m) => m.verdict === 'verified')).toHaveLength(0);
      // Nothing changed by the notifications themselves: the first one's pull of PayU's order paid it,
      // and the limiter (pullIntervalSeconds) spared PayU the others' pulls.
      expect((await orderReads()) - before).toBe(1);
      expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
      expect((await t.store.listTransitions(paymentId)).filter((tr) => tr.to === 'paid')).toHaveLength(1);

      // PayU keeps retrying on its schedule; they are still refused, and change nothing more.
      const count = rejected.length;
      await t.sandbox.advance(60_000);
      const later = (await t.allMessages()).filter(
        (m) => m.kind === 'notification' && m.verdict === 'rejected',
      );
      expect(later.length).toBeGreaterThan(count);
      expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
      expect((await t.store.listTransitions(paymentId)).filter((tr) => tr.to === 'paid')).toHaveLength(1);
    },
  );

  it("with PayU's API down, refused notifications change nothing; a later sync learns the payment", async () => {
    const t = setup();
    t.sandbox.payu.faults.signature = 'forged';
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    // PayU's API is down while the forgeries arrive: the pull learns nothing, the payment stays new.
    t.sandbox.payu.faults.apiError = { status: 503, remaining: 1_000 };
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('new');
    t.sandbox.payu.faults.apiError = undefined;
    expect((await t.bridge.sync(paymentId)).status).toBe('paid');
  });

  it('SHA-256 signatures are verified like MD5 ones', async () => {
    const t = setup();
    t.sandbox.payu.faults.signature = 'sha256';
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('paid');
    const inbound = (await t.messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
    expect(inbound.some((m) => /algorithm=SHA-256/i.test(JSON.stringify(m.headers)))).toBe(true);
  });

  it('an API 5xx fails the start with BROKER_UNAVAILABLE; the next attempt has a fresh extOrderId and works', async () => {
    const t = setup();
    t.sandbox.payu.faults.apiError = { status: 503, remaining: 1 };
    const failed = await t.startResponse();
    expect(failed.status).toBe(503);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('BROKER_UNAVAILABLE');
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('paid');

    const attempts = (await t.allMessages())
      .filter((m) => m.kind === 'create-order')
      .map((m) => [(JSON.parse(m.body) as { extOrderId: string }).extOrderId, m.responseStatus]);
    expect(attempts).toHaveLength(2);
    const [first, second] = attempts.sort((a, b) => Number(a[1]) - Number(b[1]));
    expect(second).toEqual([expect.any(String), 503]);
    expect(first).toEqual([paymentId, 302]);
    expect(second?.[0]).not.toBe(paymentId);
    expect((await t.get(String(second?.[0]))).status).toBe('failed');
  });

  it('an API 5xx on capture leaves the authorization in place; capturing again works', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    await t.sandbox.flush();
    t.sandbox.payu.faults.apiError = { status: 500, remaining: 1 };
    await expect(t.bridge.capture(paymentId)).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    expect(await t.get(paymentId)).toMatchObject({ status: 'authorized', amountPaid: 0 });
    expect((await t.bridge.capture(paymentId)).status).toBe('paid');
  });

  it('an order whose creation answer is lost still reaches its payment by extOrderId if it gets paid', async () => {
    const t = setup({ backend: { timeoutMs: 100 } });
    t.sandbox.payu.faults.apiLateAnswerMs = 1_000;
    const failed = await t.startResponse();
    expect(failed.status).toBe(503);
    t.sandbox.payu.faults.apiLateAnswerMs = 0;
    const [orphan] = t.sandbox.payu.orders();
    const paymentId = String(orphan?.extOrderId);
    expect(await t.get(paymentId)).toMatchObject({ status: 'failed', externalId: null });
    await t.sandbox.payu.act(String(orphan?.id), 'pay');
    await t.sandbox.flush();
    // Money wins over our own "failed", and PayU's orderId is learnt from the notification.
    expect(await t.get(paymentId)).toMatchObject({
      status: 'paid',
      amountPaid: 21000,
      externalId: orphan?.id,
    });
    expect((await t.bridge.refund(paymentId, { amount: 100 })).refunds).toHaveLength(1);
  });

  it('a capture whose answer is lost (timeout after PayU captured) can be retried safely', async () => {
    const t = setup({ backend: { timeoutMs: 100 } });
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    await t.sandbox.flush();
    t.sandbox.payu.faults.apiLateAnswerMs = 1_000;
    await expect(t.bridge.capture(paymentId)).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    expect(t.sandbox.payu.orders().find((o) => o.id === orderId)?.status).toBe('COMPLETED');
    t.sandbox.payu.faults.apiLateAnswerMs = 0;
    // Retried before the COMPLETED notification arrived: PayU refuses the transition, the order says it happened.
    expect(await t.bridge.capture(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    await t.sandbox.flush();
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual([
      'new',
      'pending',
      'authorized',
      'paid',
    ]);
  });

  it('a refund notification that cannot be completed now (API down) is answered 503, then applied on redelivery', async () => {
    const t = setup();
    const { paymentId } = await t.paid();
    await t.bridge.refund(paymentId, { amount: 7000 });
    t.sandbox.payu.faults.refundWithoutAmount = true;
    t.sandbox.payu.finalizeRefunds();
    t.sandbox.payu.faults.apiError = { status: 503, remaining: 1 };
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    await t.sandbox.advance(60_000);
    expect(await t.get(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 7000 });
    const refundDelivery = t.sandbox.payu.deliveries().find((d) => d.label === 'refund:FINALIZED');
    expect(refundDelivery?.attempts.map((a) => a.status)).toEqual([503, 200]);
  });

  it('our own failure (store down) answers non-200, and PayU’s redelivery applies the notifications', async () => {
    const down = { failures: 0 };
    const t = setup({
      store: (store) => ({
        ...store,
        async applyChange(request) {
          if (down.failures > 0) {
            down.failures -= 1;
            throw new Error('database is down');
          }
          return store.applyChange(request);
        },
      }),
    });
    const { paymentId, orderId } = await t.start();
    down.failures = 2;
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('new');
    await t.sandbox.advance(60_000);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    expect(t.sandbox.payu.deliveries().map((d) => d.attempts.map((a) => a.status))).toEqual([
      [503, 200],
      [503, 200],
    ]);
  });

  it('an API that does not answer in time fails with BROKER_UNAVAILABLE', async () => {
    const t = setup({ backend: { timeoutMs: 100 } });
    t.sandbox.payu.faults.apiTimeoutMs = 2_000;
    const started = Date.now();
    const failed = await t.startResponse();
    expect(failed.status).toBe(503);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('BROKER_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1_900);
  });
});
