import { describe, expect, it } from 'vitest';
import { STRIPE_EVENT_TYPES } from '../src/index';
import { stripeEvent } from './support/fake-stripe';
import { bridgeWithFake, caught, fakeContext } from './support/harness';

async function authorized(options: Record<string, unknown> = {}, order: Record<string, unknown> = {}) {
  const t = bridgeWithFake({ captureMethod: 'manual', ...options }, order);
  const { paymentId, sessionId } = await t.start();
  const { session, intent } = t.fake.pay(sessionId, { capture: 'manual' });
  await t.deliver(stripeEvent('checkout.session.completed', session));
  await t.deliver(stripeEvent('payment_intent.amount_capturable_updated', intent));
  expect((await t.get(paymentId)).status).toBe('authorized');
  return { t, paymentId, intentId: intent?.id as string };
}

async function paid(options: Record<string, unknown> = {}, order: Record<string, unknown> = {}) {
  const t = bridgeWithFake(options, order);
  const { paymentId, sessionId } = await t.start();
  const { session, intent } = t.fake.pay(sessionId);
  await t.deliver(stripeEvent('checkout.session.completed', session));
  return { t, paymentId, intentId: intent?.id as string };
}

describe('operations: capture and cancel', () => {
  it('captures an authorization in full', async () => {
    const { t, paymentId, intentId } = await authorized();
    const payment = await t.bridge.capture(paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountPaid: 1999 });
    const [capture] = t.fake.apiRequests(/capture$/);
    expect(capture?.path).toBe(`/v1/payment_intents/${intentId}/capture`);
    expect(capture?.form.get('amount_to_capture')).toBe('1999');
    expect(capture?.headers.get('idempotency-key')).toBe(`pb:${paymentId}:capture:1999`);
  });

  it('captures a part (the rest is released) and the webhook that follows agrees', async () => {
    const { t, paymentId, intentId } = await authorized();
    const payment = await t.bridge.capture(paymentId, 1500);
    expect(payment).toMatchObject({ status: 'partially_paid', amountPaid: 1500 });
    await t.deliver(stripeEvent('payment_intent.succeeded', t.fake.get(intentId)));
    expect(await t.get(paymentId)).toMatchObject({ status: 'partially_paid', amountPaid: 1500 });
  });

  it('cancel voids an authorization (PaymentIntent cancel)', async () => {
    const { t, paymentId, intentId } = await authorized();
    expect(await t.bridge.cancel(paymentId)).toMatchObject({ status: 'failed', amountAuthorized: 0 });
    expect(t.fake.apiRequests(/cancel$/).map((r) => r.path)).toEqual([
      `/v1/payment_intents/${intentId}/cancel`,
    ]);
  });

  it('cancel before payment expires the session so no late payment can arrive', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    expect(await t.bridge.cancel(paymentId)).toMatchObject({ status: 'expired' });
    expect(t.fake.get(sessionId)?.status).toBe('expired');
  });

  it('cancel of a session the buyer already paid reports the payment instead', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    t.fake.pay(sessionId);
    expect(await t.bridge.cancel(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });
});

describe('operations: refunds', () => {
  it('refunds in parts with our refund id as idempotency key and metadata', async () => {
    const { t, paymentId, intentId } = await paid();
    const first = await t.bridge.refund(paymentId, { amount: 500, idempotencyKey: 'r1' });
    expect(first).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    const again = await t.bridge.refund(paymentId, { amount: 500, idempotencyKey: 'r1' });
    expect(again.amountRefunded).toBe(500);
    const [request, ...more] = t.fake.apiRequests(/^\/v1\/refunds$/);
    expect(more).toHaveLength(0);
    const refundId = first.refunds[0]?.id as string;
    expect(Object.fromEntries(request?.form ?? [])).toMatchObject({
      payment_intent: intentId,
      amount: '500',
      'metadata[paybridge_payment_id]': paymentId,
      'metadata[paybridge_refund_id]': refundId,
    });
    expect(request?.headers.get('idempotency-key')).toBe(`pb:${paymentId}:refund:${refundId}`);
    expect(await t.bridge.refund(paymentId, {})).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
  });

  it('an async refund stays pending until refund.updated says succeeded (our refund id kept)', async () => {
    const { t, paymentId } = await paid();
    t.fake.setRefundStatus('pending');
    const pending = await t.bridge.refund(paymentId, { amount: 1999 });
    expect(pending.refunds[0]).toMatchObject({ status: 'pending' });
    const stripeRefund = [...t.fake.objects.values()].find((o) => o.object === 'refund') as Record<
      string,
      unknown
    >;
    stripeRefund.status = 'succeeded';
    await t.deliver(stripeEvent('refund.updated', stripeRefund));
    const done = await t.get(paymentId);
    expect(done).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect(done.refunds).toHaveLength(1);
  });

  it('a refusal by Stripe is a BROKER_ERROR with its code', async () => {
    const { t, paymentId } = await paid();
    t.fake.failNext(400, { error: { type: 'invalid_request_error', code: 'charge_already_refunded' } });
    const error = await caught(t.bridge.refund(paymentId, { amount: 100 }));
    expect(error).toMatchObject({ code: 'BROKER_ERROR', details: { stripeCode: 'charge_already_refunded' } });
  });

  it('forward mode pulls the transfer back; remote mode refunds on the connected account', async () => {
    const forward = await paid(
      { connect: { mode: 'forward', refundApplicationFee: true } },
      { snapshot: { stripeAccount: 'acct_1Seller' } },
    );
    await forward.t.bridge.refund(forward.paymentId, { amount: 100 });
    const [f] = forward.t.fake.apiRequests(/^\/v1\/refunds$/);
    expect(f?.form.get('reverse_transfer')).toBe('true');
    expect(f?.form.get('refund_application_fee')).toBe('true');
    expect(f?.headers.get('stripe-account')).toBeNull();

    const t = bridgeWithFake(
      { connect: { mode: 'remote' } },
      { snapshot: { stripeAccount: 'acct_1Remote' } },
    );
    const { paymentId, sessionId } = await t.start();
    expect(t.fake.apiRequests()[0]?.headers.get('stripe-account')).toBe('acct_1Remote');
    const { session } = t.fake.pay(sessionId);
    // Remote: the event comes through the Connect endpoint with the account; without it, it is refused.
    await t.deliver(stripeEvent('checkout.session.completed', session));
    expect((await t.get(paymentId)).status).toBe('new');
    await t.deliver(stripeEvent('checkout.session.completed', session, { account: 'acct_1Remote' }));
    expect((await t.get(paymentId)).status).toBe('paid');
    await t.bridge.refund(paymentId, { amount: 100 });
    const [r] = t.fake.apiRequests(/^\/v1\/refunds$/);
    expect(r?.headers.get('stripe-account')).toBe('acct_1Remote');
    expect(r?.form.has('reverse_transfer')).toBe(false);
  });
});

describe('operations: pull, subscription cancel, setup', () => {
  it('sync reads the session, its intent and refunds', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    const { intent } = t.fake.pay(sessionId);
    t.fake.put({
      id: 're_test_x',
      object: 'refund',
      amount: 999,
      currency: 'eur',
      status: 'succeeded',
      payment_intent: intent?.id,
      metadata: {},
    });
    expect(await t.bridge.sync(paymentId)).toMatchObject({
      status: 'partially_refunded',
      amountPaid: 1999,
      amountRefunded: 999,
    });
    expect(t.fake.apiRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/checkout/sessions',
      `GET /v1/checkout/sessions/${sessionId}`,
      `GET /v1/payment_intents/${intent?.id}`,
      'GET /v1/refunds',
    ]);
  });

  it('the return route pulls: a buyer back from a paid session sees it paid without any webhook', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    t.fake.pay(sessionId);
    const back = await t.bridge.handler(
      new Request(`https://shop.test/pay/return/stripe/${paymentId}?result=success`),
    );
    expect(back.status).toBeGreaterThanOrEqual(300);
    expect((await t.get(paymentId)).status).toBe('paid');
  });

  it('cancelSubscription deletes the subscription and reports it cancelled', async () => {
    const t = bridgeWithFake({}, { recurrence: { interval: 'month', every: 1 } });
    const { paymentId, sessionId } = await t.start();
    const { session, subscription } = t.fake.pay(sessionId);
    await t.deliver(stripeEvent('checkout.session.completed', session));
    const result = await t.backend.cancelSubscription(await t.get(paymentId), fakeContext(t.fake));
    expect(result.facts).toEqual([
      {
        type: 'subscription',
        eventId: `${subscription?.id}:deleted`,
        event: 'cancelled',
        subscriptionId: subscription?.id,
      },
    ]);
    expect(t.fake.get(subscription?.id as string)?.status).toBe('canceled');
  });

  it('setup instructions give the webhook URL, the API version and the exact event types', () => {
    const t = bridgeWithFake({ connect: { mode: 'remote' } });
    const [setup] = t.bridge.setupInstructions();
    expect(setup?.urls[0]).toMatchObject({ url: 'https://shop.test/pay/notify/stripe' });
    expect(setup?.steps.join('\n')).toContain('2026-11-18.endive');
    expect(setup?.steps.join('\n')).toContain('Connect endpoint');
    for (const type of STRIPE_EVENT_TYPES) expect(setup?.steps[1]).toContain(type);
    expect(STRIPE_EVENT_TYPES).toContain('checkout.session.async_payment_succeeded');
  });
});
