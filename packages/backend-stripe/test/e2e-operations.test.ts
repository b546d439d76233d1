import { describe, expect, it } from 'vitest';
import { CARD_OK, SELLER_A, setup } from './support/e2e';

describe('e2e through the Stripe sandbox: refunds and capture', () => {
  it('refunds in two parts; the webhooks that follow change nothing more', async () => {
    const t = setup();
    const { paymentId } = await t.paid();
    expect(await t.bridge.refund(paymentId, { amount: 500 })).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 500,
    });
    await t.sandbox.flush();
    expect(await t.bridge.refund(paymentId, {})).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    await t.sandbox.flush();
    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect(payment.refunds.filter((r) => r.kind === 'refund')).toHaveLength(2);
    const refused = await t.bridge.refund(paymentId, { amount: 1 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'INVALID_AMOUNT' });
  });

  it('a refund that fails asynchronously (card 4000000000005126) gives the money back', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    await t.act(sessionId, { card: '4000000000005126' });
    expect((await t.get(paymentId)).status).toBe('paid');
    expect(await t.bridge.refund(paymentId, {})).toMatchObject({ status: 'refunded' });
    await t.sandbox.advance(10 * 60_000 + 1000);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999, amountRefunded: 0 });
  });

  it('manual capture: authorized by the page, captured in part by the merchant, the rest released', async () => {
    const t = setup({ backend: { captureMethod: 'manual' } });
    const { paymentId } = await t.paid();
    expect(await t.get(paymentId)).toMatchObject({
      status: 'authorized',
      amountAuthorized: 1999,
      amountPaid: 0,
    });
    expect(await t.bridge.capture(paymentId, 1500)).toMatchObject({
      status: 'partially_paid',
      amountPaid: 1500,
    });
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({
      status: 'partially_paid',
      amountPaid: 1500,
      amountRefunded: 0,
    });
    const intent = t.sandbox.stripe.object((await t.get(paymentId)).brokerData.stripePaymentIntent as string);
    expect(intent).toMatchObject({ status: 'succeeded', amount_received: 1500 });
  });

  it('manual capture: cancel voids the authorization', async () => {
    const t = setup({ backend: { captureMethod: 'manual' } });
    const { paymentId } = await t.paid();
    expect(await t.bridge.cancel(paymentId)).toMatchObject({ status: 'failed', amountAuthorized: 0 });
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('failed');
  });
});

describe('e2e through the Stripe sandbox: subscriptions', () => {
  const monthly = { order: { recurrence: { interval: 'month' as const, every: 1 } } };

  it('subscribes, renews each month as child payments, suspends on a failed renewal, cancels', async () => {
    const t = setup(monthly);
    const { paymentId } = await t.paid();
    const parent = await t.get(paymentId);
    expect(parent).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(parent.subscription).toMatchObject({ status: 'active' });
    const subscriptionId = parent.subscription?.id as string;
    expect(subscriptionId).toMatch(/^sub_/);

    await t.sandbox.advance(31 * 24 * 3600_000);
    const children = async () =>
      (await t.store.listPayments({ limit: 50 })).items.filter((p) => p.parentPaymentId === paymentId);
    expect(await children()).toHaveLength(1);
    expect((await children())[0]).toMatchObject({ status: 'paid', amountPaid: 1999 });

    t.sandbox.stripe.failNextRenewal(subscriptionId);
    await t.sandbox.advance(31 * 24 * 3600_000);
    expect((await t.get(paymentId)).subscription?.status).toBe('suspended');
    expect(await children()).toHaveLength(1);

    const result = await t.backend.cancelSubscription(await t.get(paymentId), {
      endpoint: 'http://sandbox.test/stripe',
      fetch: (url, init) => t.sandbox.handler(new Request(url, init)),
    });
    expect(result.facts).toMatchObject([{ type: 'subscription', event: 'cancelled', subscriptionId }]);
    await t.sandbox.flush();
    expect((await t.get(paymentId)).subscription?.status).toBe('cancelled');
    await t.sandbox.advance(62 * 24 * 3600_000);
    expect(await children()).toHaveLength(1);
  });
});

describe('e2e through the Stripe sandbox: Connect', () => {
  it('forward: a destination charge to the seller with the platform fee, refund reverses the transfer', async () => {
    const t = setup({
      backend: { connect: { mode: 'forward', applicationFee: (p) => Math.round(p.amount * 0.1) } },
      order: { snapshot: { stripeAccount: SELLER_A } },
    });
    const { paymentId } = await t.paid();
    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountPaid: 1999 });
    const intent = t.sandbox.stripe.object(payment.brokerData.stripePaymentIntent as string);
    expect(intent).toMatchObject({ application_fee_amount: 200, transfer_data: { destination: SELLER_A } });
    expect(await t.bridge.refund(paymentId, {})).toMatchObject({ status: 'refunded' });
  });

  it('remote: the session lives on the seller account, Connect webhooks carrying `account` pay it', async () => {
    const t = setup({
      backend: { connect: { mode: 'remote', applicationFee: () => 100 } },
      order: { snapshot: { stripeAccount: SELLER_A } },
    });
    const { paymentId, sessionId } = await t.start();
    await t.act(sessionId, { card: CARD_OK });
    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(payment.brokerData).toMatchObject({ stripeConnectMode: 'remote', stripeAccount: SELLER_A });
    expect((await t.inbound()).every((m) => m.verdict === 'verified')).toBe(true);
    expect(await t.bridge.refund(paymentId, { amount: 999 })).toMatchObject({ status: 'partially_refunded' });
    expect(await t.bridge.sync(paymentId)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 999,
    });
  });
});

describe('e2e through the Stripe sandbox: refunds of subscription payments', () => {
  it("refunds the first payment and a renewal through their invoices' PaymentIntents", async () => {
    const t = setup({ order: { recurrence: { interval: 'month', every: 1 } } });
    const { paymentId } = await t.paid();
    expect(await t.bridge.refund(paymentId, { amount: 500 })).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 500,
    });
    await t.sandbox.advance(31 * 24 * 3600_000);
    const [renewal] = (await t.store.listPayments({ limit: 50 })).items.filter(
      (p) => p.parentPaymentId === paymentId,
    );
    expect(renewal?.status).toBe('paid');
    expect(await t.bridge.refund(renewal?.id as string, {})).toMatchObject({
      status: 'refunded',
      amountRefunded: 1999,
    });
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    expect(await t.get(renewal?.id as string)).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    const refunds = (await t.outbound()).filter((m) => m.kind === 'create-refund');
    expect(refunds.map((m) => m.responseStatus)).toEqual([200, 200]);
    // refund.* news of our refunds is recognised as ours although the invoice's intent names no payment;
    // charge.refunded (an invoice charge, no metadata of ours) is answered 200 and changes nothing.
    const news = (await t.inbound()).map((m) => ({ type: JSON.parse(m.body).type as string, m }));
    const refundNews = news.filter((n) => n.type.startsWith('refund.'));
    expect(refundNews.length).toBeGreaterThan(0);
    for (const { m } of refundNews) expect(m.verdict).toBe('verified');
    for (const { m } of news.filter((n) => n.type === 'charge.refunded')) expect(m.responseStatus).toBe(200);
  });

  it("a subscription payment's refund that fails later (card 4000000000005126) is recognised as ours: the money comes back", async () => {
    const t = setup({ order: { recurrence: { interval: 'month', every: 1 } } });
    const { paymentId, sessionId } = await t.start();
    await t.act(sessionId, { card: '4000000000005126' });
    expect(await t.bridge.refund(paymentId, {})).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    await t.sandbox.advance(10 * 60_000 + 1000);
    // Only refund.failed says so: the pull reads the subscription, not its invoices' refunds.
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999, amountRefunded: 0 });
  });
});

describe('e2e through the Stripe sandbox: idempotency keys', () => {
  it('every POST to Stripe carries an idempotency key derived from its payment', async () => {
    const t = setup({ backend: { captureMethod: 'manual' } });
    const captured = await t.paid();
    await t.bridge.capture(captured.paymentId, 1500);
    await t.bridge.refund(captured.paymentId, { amount: 500 });
    const voided = await t.paid();
    await t.bridge.cancel(voided.paymentId);
    const open = await t.start();
    await t.bridge.cancel(open.paymentId);
    const posts = (await t.outbound()).filter((m) => m.method === 'POST');
    expect(posts.map((m) => m.kind).sort()).toEqual([
      'cancel-payment-intent',
      'capture-payment-intent',
      'create-checkout-session',
      'create-checkout-session',
      'create-checkout-session',
      'create-refund',
      'expire-checkout-session',
    ]);
    for (const m of posts) {
      expect({ kind: m.kind, key: m.headers['idempotency-key'] }).toEqual({
        kind: m.kind,
        key: expect.stringMatching(new RegExp(`^pb:${m.paymentId}:[a-z]`)),
      });
    }
    const keys = posts.map((m) => m.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
