import type { Payment } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { SELLER_A, setup } from './support/e2e';

/** A seller's subscription in remote (direct charges) or forward (destination charges) mode, renewed once. */
async function renewed(mode: 'remote' | 'forward') {
  const t = setup({
    backend: { connect: { mode, applicationFee: () => 100 } },
    order: { recurrence: { interval: 'month', every: 1 }, snapshot: { stripeAccount: SELLER_A } },
  });
  const { paymentId } = await t.paid();
  await t.sandbox.advance(31 * 24 * 3600_000);
  const [renewal] = (await t.store.listPayments({ limit: 50 })).items.filter(
    (p: Payment) => p.parentPaymentId === paymentId,
  );
  expect(renewal).toMatchObject({ status: 'paid', amountPaid: 1999 });
  return { t, paymentId, child: renewal?.id as string };
}

describe('e2e through the Stripe sandbox: Connect renewals', () => {
  it('remote: a renewal is refunded on the seller account, and its Connect webhooks are accepted', async () => {
    const { t, child } = await renewed('remote');
    expect((await t.get(child)).brokerData).toMatchObject({
      stripeConnectMode: 'remote',
      stripeAccount: SELLER_A,
    });
    expect(await t.bridge.refund(child, { amount: 700 })).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 700,
    });
    const refund = (await t.outbound()).find((m) => m.kind === 'create-refund');
    expect(refund?.headers['stripe-account']).toBe(SELLER_A);
    await t.sandbox.flush();
    // Every Connect webhook is answered 2xx and none is refused as another account's; the news of our
    // refund is applied to the child payment.
    const inbound = (await t.inbound()).map((m) => ({ type: JSON.parse(m.body).type as string, m }));
    for (const { m } of inbound) {
      expect(m.responseStatus).toBe(200);
      expect(m.detail ?? '').not.toContain('RECEIVER_MISMATCH');
    }
    const refundNews = inbound.filter(({ type }) => type.startsWith('refund.'));
    expect(refundNews.length).toBeGreaterThan(0);
    for (const { m } of refundNews) expect(m).toMatchObject({ verdict: 'verified', paymentId: child });
    expect(await t.bridge.sync(child)).toMatchObject({ status: 'partially_refunded', amountRefunded: 700 });
  });

  it("forward: the first payment's and a renewal's refunds reverse the transfer to the seller", async () => {
    const { t, paymentId, child } = await renewed('forward');
    expect((await t.get(child)).brokerData).toMatchObject({
      stripeConnectMode: 'forward',
      stripeAccount: SELLER_A,
    });
    expect(await t.bridge.refund(paymentId, { amount: 500 })).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 500,
    });
    expect(await t.bridge.refund(child, {})).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    const refunds = (await t.outbound()).filter((m) => m.kind === 'create-refund');
    expect(refunds.map((m) => [m.responseStatus, m.headers['stripe-account']])).toEqual([
      [200, undefined],
      [200, undefined],
    ]);
    for (const m of refunds) expect(new URLSearchParams(m.body).get('reverse_transfer')).toBe('true');
  });
});
