import { describe, expect, it } from 'vitest';
import { setup } from './support/e2e';

const MINUTE = 60_000;

/**
 * Flutterwave sends no webhook when a refund completes (reference §7.2): a refund it answered
 * `pending` settles only when someone asks. `bridge.reconcile()` asks, on its own.
 */
describe('e2e through the Flutterwave sandbox: reconcile settles refunds left pending', () => {
  it('a pending refund is asked about each pass until Flutterwave completes it, then refunded once', async () => {
    const t = setup({ simulator: { refundStatus: 'pending' } });
    const paidPayment = async () => {
      const { paymentId, linkId } = await t.start();
      await t.act(linkId, 'pay');
      return paymentId;
    };
    const refunding = await paidPayment();
    const untouched = await paidPayment();
    await t.bridge.refund(refunding, { amount: 1999 });
    expect(await t.get(refunding)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    const callsAbout = async (paymentId: string) =>
      (await t.outbound()).filter((call) => call.paymentId === paymentId).length;
    const untouchedCalls = await callsAbout(untouched);
    const refundPolls = async () =>
      (await t.outbound()).filter((call) => call.kind === 'get-refund').map((call) => call.paymentId);

    // Fresh: left to its notification for `olderThan` (here none will ever come).
    expect(await t.bridge.reconcile()).toMatchObject({ pulled: 0, refundsPulled: 0 });
    t.clock.advance(10 * MINUTE);
    // Flutterwave still holds it pending: asked, nothing changes.
    expect(await t.bridge.reconcile()).toMatchObject({
      pulled: 1,
      refundsPulled: 1,
      unchanged: 1,
      failed: [],
    });
    expect(await t.get(refunding)).toMatchObject({ status: 'paid', amountRefunded: 0 });

    expect(t.sandbox.flutterwave.completeRefunds()).toBe(1);
    t.clock.advance(10 * MINUTE);
    expect(await t.bridge.reconcile()).toMatchObject({ pulled: 1, refundsPulled: 1, changed: 1, failed: [] });
    const after = await t.get(refunding);
    expect(after).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect(after.refunds).toEqual([expect.objectContaining({ amount: 1999, status: 'succeeded' })]);
    expect(await refundPolls()).toEqual([refunding, refunding]);

    // Settled: nothing is asked any more; the paid payment without a refund never was.
    expect(await t.bridge.reconcile()).toMatchObject({ pulled: 0, refundsPulled: 0 });
    expect(await refundPolls()).toHaveLength(2);
    expect(await callsAbout(untouched)).toBe(untouchedCalls);
    expect(await t.get(untouched)).toMatchObject({ status: 'paid', amountRefunded: 0 });
  });
});
