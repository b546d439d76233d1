import { describe, expect, it } from 'vitest';
import { payu } from '../src/payu';
import { setup } from './support/e2e';
import { makePayment, SETTINGS } from './support/fixtures';

/**
 * `bridge.reconcile()` and `sweepExpired()` with PayU through the sandbox, every notification lost
 * (the sandbox delivers them only on flush, which these tests call last or never).
 */
describe('PayU reconciliation with the notifications lost', () => {
  it('one pass brings every open payment in step with PayU; a second pass changes nothing', async () => {
    const t = setup();
    const started = {
      paid: await t.start(),
      authorized: await t.start(),
      declined: await t.start(),
      processing: await t.start(),
      abandoned: await t.start(),
    };
    await t.sandbox.payu.act(started.paid.orderId, 'pay');
    await t.sandbox.payu.act(started.authorized.orderId, 'pay_wfc');
    await t.sandbox.payu.act(started.declined.orderId, 'decline');
    await t.sandbox.payu.act(started.processing.orderId, 'pending');

    const first = await t.bridge.reconcile({ olderThan: 0 });
    expect(first).toMatchObject({ pulled: 5, changed: 4, unchanged: 1, failed: [], skippedNotPullable: 0 });
    const status = async (key: keyof typeof started) => (await t.get(started[key].paymentId)).status;
    expect(await status('paid')).toBe('paid');
    expect(await status('authorized')).toBe('authorized');
    expect(await status('declined')).toBe('failed');
    expect(await status('processing')).toBe('pending');
    expect(await status('abandoned')).toBe('new');

    // Still open: authorized, pending, new. PayU says the same: nothing changes.
    expect(await t.bridge.reconcile({ olderThan: 0 })).toMatchObject({ pulled: 3, changed: 0, unchanged: 3 });
    // The notifications arrive at last: verified and answered 200, no status moves.
    await t.sandbox.flush();
    expect(await status('paid')).toBe('paid');
    expect(await status('declined')).toBe('failed');
    const paidPath = (await t.store.listTransitions(started.paid.paymentId)).map((tr) => tr.to);
    expect(paidPath).toEqual(['new', 'paid']);
  });

  it('a pull PayU cannot answer is a failure with its reason, retried by the next pass', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    t.sandbox.payu.faults.apiError = { status: 503, remaining: 1 };
    const down = await t.bridge.reconcile({ olderThan: 0 });
    expect(down).toMatchObject({ pulled: 0, changed: 0 });
    expect(down.failed).toEqual([
      expect.objectContaining({ paymentId, backend: 'payu', code: 'BROKER_UNAVAILABLE' }),
    ]);
    expect((await t.get(paymentId)).status).toBe('new');
    expect(await t.bridge.reconcile({ olderThan: 0 })).toMatchObject({ pulled: 1, changed: 1, failed: [] });
    expect((await t.get(paymentId)).status).toBe('paid');
  });

  it('sweepExpired asks PayU first: a payment PayU completed becomes paid, never expired', async () => {
    const t = setup();
    const paid = await t.start();
    const abandoned = await t.start();
    await t.sandbox.payu.act(paid.orderId, 'pay');
    t.clock.advance(25 * 3600 * 1000); // past the default 24 h payment TTL
    await t.bridge.sweepExpired();
    expect(await t.get(paid.paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    expect((await t.get(abandoned.paymentId)).status).toBe('expired');
  });

  it('a payment without PayU orderId is not pullable (no lookup by extOrderId exists)', () => {
    const backend = payu(SETTINGS);
    expect(backend.canPull(makePayment({ externalId: null }))).toBe(false);
    expect(backend.canPull(makePayment())).toBe(true);
  });
});
