import { describe, expect, it } from 'vitest';
import { stripeEvent, stripeSignature } from './support/fake-stripe';
import { bridgeWithFake } from './support/harness';

/** The newest inbound message (the log lists newest first). */
const lastInbound = async (t: ReturnType<typeof bridgeWithFake>) =>
  (await t.store.listMessages({ direction: 'inbound', limit: 500 })).items[0];

describe('webhooks: verification', () => {
  it('refuses a forged or missing signature with 400 and changes nothing; Stripe is asked once (verify-or-pull)', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    // A forger's claim: the session paid. Stripe itself has it unpaid.
    const claimed = { ...t.fake.get(sessionId), status: 'complete', payment_status: 'paid' };
    const body = stripeEvent('checkout.session.completed', claimed);
    const before = t.fake.requests.length;
    const forged = await t.deliver(body, stripeSignature(body, 'whsec_attacker'));
    expect(forged.status).toBe(400);
    expect(await lastInbound(t)).toMatchObject({ verdict: 'rejected', paymentId });
    const tampered = await t.deliver(body.replace('"paid"', '"paid" '), stripeSignature(body));
    expect(tampered.status).toBe(400);
    const unsigned = await t.bridge.handler(
      new Request('https://shop.test/pay/notify/stripe', { method: 'POST', body }),
    );
    expect(unsigned.status).toBe(400);
    expect((await t.get(paymentId)).status).toBe('new');
    // The payment they name was pulled from Stripe once: the limiter (pullIntervalSeconds) spared the rest.
    const pulls = t.fake.requests.slice(before);
    expect(pulls.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/checkout/sessions/${sessionId}`]);
  });

  it('refuses a stale signature and a live event on a test key', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    const claimed = { ...t.fake.get(sessionId), status: 'complete', payment_status: 'paid' };
    const body = stripeEvent('checkout.session.completed', claimed);
    const stale = await t.deliver(
      body,
      stripeSignature(body, undefined, Math.floor(Date.now() / 1000) - 301),
    );
    expect(stale.status).toBe(400);
    const live = stripeEvent('checkout.session.completed', claimed, { livemode: true });
    expect((await t.deliver(live)).status).toBe(400);
    expect((await t.get(paymentId)).status).toBe('new');
  });

  it('a genuine event signed with a secret rolled before ours: refused, yet the pull makes the payment paid once', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    const { session } = t.fake.pay(sessionId);
    const body = stripeEvent('checkout.session.completed', session);
    expect((await t.deliver(body, stripeSignature(body, 'whsec_rolled_in_the_dashboard'))).status).toBe(400);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    // Stripe redelivers; once the secret is right the event is a duplicate of what the pull applied.
    expect((await t.deliver(body)).status).toBe(200);
    const transitions = await t.store.listTransitions(paymentId);
    expect(transitions.filter((tr) => tr.to === 'paid')).toHaveLength(1);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });

  it('answers 200 to a genuine event for no payment of ours, and to event types it does not use', async () => {
    const t = bridgeWithFake();
    const stranger = stripeEvent('checkout.session.completed', {
      id: 'cs_test_stranger',
      object: 'checkout.session',
      mode: 'payment',
      status: 'complete',
      payment_status: 'paid',
      amount_total: 100,
      currency: 'eur',
      client_reference_id: 'pay_unknown',
      metadata: {},
      payment_intent: 'pi_stranger',
    });
    expect((await t.deliver(stranger)).status).toBe(200);
    expect(await lastInbound(t)).toMatchObject({ verdict: 'rejected' });
    expect(
      (await t.deliver(stripeEvent('customer.created', { id: 'cus_1', object: 'customer' }))).status,
    ).toBe(200);
  });

  it('refuses a signed body that is not an event with 400', async () => {
    const t = bridgeWithFake();
    expect((await t.deliver('{"hello":"world"}')).status).toBe(400);
    expect((await t.deliver('not json')).status).toBe(400);
  });
});

describe('webhooks: one-off payments', () => {
  it('pays on checkout.session.completed (paid), and a duplicate or payment_intent.succeeded changes nothing', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    const { session, intent } = t.fake.pay(sessionId);
    const completed = stripeEvent('checkout.session.completed', session);
    expect((await t.deliver(completed)).status).toBe(200);
    const paid = await t.get(paymentId);
    expect(paid).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(paid.brokerData).toMatchObject({ stripePaymentIntent: intent?.id });
    expect((await t.deliver(completed)).status).toBe(200);
    expect((await t.deliver(stripeEvent('payment_intent.succeeded', intent))).status).toBe(200);
    const after = await t.get(paymentId);
    expect(after).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(after.captures).toHaveLength(1);
  });

  it('async methods: completed unpaid is pending, then async_payment_succeeded pays or _failed fails', async () => {
    const t = bridgeWithFake();
    const ok = await t.start();
    const first = t.fake.pay(ok.sessionId, { async: true });
    await t.deliver(stripeEvent('checkout.session.completed', first.session));
    expect((await t.get(ok.paymentId)).status).toBe('pending');
    Object.assign(first.session, { payment_status: 'paid' });
    await t.deliver(stripeEvent('checkout.session.async_payment_succeeded', first.session));
    expect(await t.get(ok.paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });

    const ko = await t.start();
    const second = t.fake.pay(ko.sessionId, { async: true });
    await t.deliver(stripeEvent('checkout.session.completed', second.session));
    await t.deliver(stripeEvent('checkout.session.async_payment_failed', second.session));
    expect((await t.get(ko.paymentId)).status).toBe('failed');
  });

  it('checkout.session.expired expires the payment', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    const session = t.fake.get(sessionId) as Record<string, unknown>;
    session.status = 'expired';
    await t.deliver(stripeEvent('checkout.session.expired', session));
    expect((await t.get(paymentId)).status).toBe('expired');
  });

  it('manual capture: completed is pending, amount_capturable_updated authorizes', async () => {
    const t = bridgeWithFake({ captureMethod: 'manual' });
    const { paymentId, sessionId } = await t.start();
    const { session, intent } = t.fake.pay(sessionId, { capture: 'manual' });
    // Whatever payment_status Checkout reports, with manual capture only the intent says money moved.
    Object.assign(session, { payment_status: 'paid' });
    await t.deliver(stripeEvent('checkout.session.completed', session));
    expect(await t.get(paymentId)).toMatchObject({ status: 'pending', amountPaid: 0 });
    await t.deliver(stripeEvent('payment_intent.amount_capturable_updated', intent));
    expect(await t.get(paymentId)).toMatchObject({ status: 'authorized', amountAuthorized: 1999 });
  });

  it('a payment_intent event that overtakes checkout.session.completed asks the bound session', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    const { intent } = t.fake.pay(sessionId);
    await t.deliver(stripeEvent('payment_intent.succeeded', intent));
    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(payment.brokerData).toMatchObject({ stripePaymentIntent: intent?.id });
    expect(t.fake.apiRequests(/^\/v1\/checkout\/sessions\/cs_/).map((r) => r.method)).toEqual(['GET']);
  });
});

describe('webhooks: binding (another session or intent naming the payment)', () => {
  function foreignSession(
    t: ReturnType<typeof bridgeWithFake>,
    paymentId: string,
    overrides: Record<string, unknown>,
  ) {
    return t.fake.put({
      id: t.fake.nextId('cs'),
      object: 'checkout.session',
      mode: 'payment',
      status: 'complete',
      payment_status: 'paid',
      amount_total: 1999,
      currency: 'eur',
      client_reference_id: paymentId,
      metadata: { paybridge_payment_id: paymentId },
      payment_intent: t.fake.nextId('pi'),
      ...overrides,
    });
  }

  it("another session's expiry or async failure never fails the payment; its money is recorded", async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    const other = foreignSession(t, paymentId, { status: 'expired', payment_status: 'unpaid' });
    await t.deliver(stripeEvent('checkout.session.expired', other));
    await t.deliver(stripeEvent('checkout.session.async_payment_failed', { ...other, status: 'complete' }));
    expect((await t.get(paymentId)).status).toBe('new');

    const { session } = t.fake.pay(sessionId);
    await t.deliver(stripeEvent('checkout.session.completed', session));
    expect((await t.get(paymentId)).status).toBe('paid');

    const payer = foreignSession(t, paymentId, {});
    await t.deliver(stripeEvent('checkout.session.completed', payer));
    const after = await t.get(paymentId);
    expect(after).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(after.brokerData).toMatchObject({ stripeSession: sessionId });
    const [latest] = (await t.store.listMessages({ direction: 'inbound', limit: 50 })).items;
    expect(latest).toMatchObject({ outcome: 'anomaly', detail: expect.stringContaining('OVERPAYMENT') });
  });

  it("another intent's cancellation does not fail an authorized payment", async () => {
    const t = bridgeWithFake({ captureMethod: 'manual' });
    const { paymentId, sessionId } = await t.start();
    const { intent } = t.fake.pay(sessionId, { capture: 'manual' });
    await t.deliver(stripeEvent('payment_intent.amount_capturable_updated', intent));
    const stranger = t.fake.put({
      id: t.fake.nextId('pi'),
      object: 'payment_intent',
      status: 'canceled',
      amount: 1999,
      currency: 'eur',
      metadata: { paybridge_payment_id: paymentId },
    });
    await t.deliver(stripeEvent('payment_intent.canceled', stranger));
    expect((await t.get(paymentId)).status).toBe('authorized');
    await t.deliver(stripeEvent('payment_intent.canceled', { ...intent, status: 'canceled' }));
    expect((await t.get(paymentId)).status).toBe('failed');
  });

  it('refuses an event from a connected account in local mode (RECEIVER_MISMATCH)', async () => {
    const t = bridgeWithFake();
    const { paymentId, sessionId } = await t.start();
    const { session } = t.fake.pay(sessionId);
    const response = await t.deliver(
      stripeEvent('checkout.session.completed', session, { account: 'acct_1Evil' }),
    );
    expect(response.status).toBe(200);
    expect((await t.get(paymentId)).status).toBe('new');
  });
});
