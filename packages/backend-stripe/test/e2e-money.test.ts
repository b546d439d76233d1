import { describe, expect, it } from 'vitest';
import { setup } from './support/e2e';

describe('e2e through the Stripe sandbox: disputes and currencies', () => {
  it('a disputed payment loses the money when the dispute opens and gets it back when won', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    await t.act(sessionId, { card: '4000000000000259' });
    expect((await t.get(paymentId)).status).toBe('paid');
    await t.sandbox.advance(60_000 + 1000);
    const disputed = await t.get(paymentId);
    expect(disputed).toMatchObject({ status: 'refunded', amountPaid: 1999, amountRefunded: 1999 });
    const reversal = disputed.refunds.find((r) => r.kind === 'reversal');
    expect(reversal?.id).toMatch(/^(dp|du)_/);
    t.sandbox.stripe.closeDispute(reversal?.id as string, 'won');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
  });

  it('sync finds a dispute whose webhooks were all refused, and its win', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    await t.act(sessionId, { card: '4000000000000259' });
    expect((await t.get(paymentId)).status).toBe('paid');
    t.sandbox.stripe.faults.signature = 'forged'; // every webhook from now on is refused
    await t.sandbox.advance(60_000 + 1000);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    const disputed = await t.bridge.sync(paymentId);
    expect(disputed).toMatchObject({ status: 'refunded', amountPaid: 1999, amountRefunded: 1999 });
    const reversal = disputed.refunds.find((r) => r.kind === 'reversal');
    t.sandbox.stripe.closeDispute(reversal?.id as string, 'won');
    await t.sandbox.flush();
    expect(await t.bridge.sync(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect(await t.bridge.sync(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
  });

  it('a lost dispute leaves the money with the cardholder', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    await t.act(sessionId, { card: '4242424242424242' });
    const intentId = (await t.get(paymentId)).brokerData.stripePaymentIntent as string;
    const disputeId = t.sandbox.stripe.dispute(intentId);
    await t.sandbox.flush();
    t.sandbox.stripe.closeDispute(disputeId, 'lost');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
  });

  it('manual capture when Checkout reports paid at completion (the UNCONFIRMED variant) still only authorizes', async () => {
    const variant = setup({
      backend: { captureMethod: 'manual' },
      simulator: { manualCapturePaymentStatus: 'paid' },
    });
    const { paymentId } = await variant.paid();
    expect(await variant.get(paymentId)).toMatchObject({ status: 'authorized', amountPaid: 0 });
    expect(await variant.bridge.capture(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });

  it('JPY is sent in yen and ISK with two zero decimals; both come back as the same minor units', async () => {
    const jpy = setup({ order: { amount: 5000, currency: 'JPY' } });
    const a = await jpy.paid();
    expect(await jpy.get(a.paymentId)).toMatchObject({ status: 'paid', amountPaid: 5000 });
    expect(jpy.sandbox.stripe.object(a.sessionId)).toMatchObject({ amount_total: 5000, currency: 'jpy' });

    const isk = setup({ order: { amount: 1500, currency: 'ISK' } });
    const b = await isk.paid();
    expect(await isk.get(b.paymentId)).toMatchObject({ status: 'paid', amountPaid: 1500 });
    expect(isk.sandbox.stripe.object(b.sessionId)).toMatchObject({ amount_total: 150_000, currency: 'isk' });
    expect(await isk.bridge.refund(b.paymentId, { amount: 500 })).toMatchObject({ amountRefunded: 500 });
  });
});

describe('e2e through the Stripe sandbox: declines are noted, not final', () => {
  it('payment_intent.payment_failed keeps the payment payable and notes the decline code', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    await t.act(sessionId, { card: '4000000000009995' });
    const declined = await t.get(paymentId);
    expect(declined.status).toBe('new');
    expect(declined.brokerData).toMatchObject({ stripeLastDecline: 'insufficient_funds' });
    await t.act(sessionId, { card: '4242424242424242' });
    expect((await t.get(paymentId)).status).toBe('paid');
  });
});
