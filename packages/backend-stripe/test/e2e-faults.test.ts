import { describe, expect, it } from 'vitest';
import { CARD_OK, endState, setup } from './support/e2e';

/** Pay, refund a part and let everything be delivered; returns the end state. */
async function run(faults: Record<string, unknown>) {
  const t = setup();
  Object.assign(t.sandbox.stripe.faults, faults);
  const { paymentId, sessionId } = await t.start();
  await t.act(sessionId, { card: CARD_OK });
  await t.bridge.refund(paymentId, { amount: 700 }).catch(() => t.bridge.sync(paymentId));
  await t.sandbox.flush();
  await t.sandbox.advance(8 * 3600_000);
  return { t, paymentId, state: endState(await t.get(paymentId)) };
}

describe('e2e through the Stripe sandbox: faults', () => {
  it('duplicated and reordered webhooks give the same end state as clean delivery', async () => {
    const clean = await run({});
    expect(clean.state).toMatchObject({
      status: 'partially_refunded',
      amountPaid: 1999,
      amountRefunded: 700,
    });
    for (const faults of [{ duplicate: 2 }, { reorder: true }, { duplicate: 1, reorder: true }]) {
      const faulty = await run(faults);
      expect({ faults, ...faulty.state }).toEqual({ faults, ...clean.state });
      const inbound = await faulty.t.inbound();
      const cleanCount = (await clean.t.inbound()).length;
      if ('duplicate' in faults) expect(inbound.length).toBeGreaterThan(cleanCount);
      else expect(inbound.length).toBe(cleanCount);
      for (const message of inbound) expect(message.responseStatus).toBe(200);
    }
  });

  it('a subscription with duplicated, reordered webhooks ends as with clean delivery', async () => {
    const states = [];
    for (const faults of [{}, { duplicate: 1, reorder: true }]) {
      const t = setup({ order: { recurrence: { interval: 'month', every: 1 } } });
      Object.assign(t.sandbox.stripe.faults, faults);
      const { paymentId } = await t.paid();
      await t.sandbox.advance(31 * 24 * 3600_000);
      const children = (await t.store.listPayments({ limit: 50 })).items.filter(
        (p) => p.parentPaymentId === paymentId,
      );
      states.push({ parent: endState(await t.get(paymentId)), children: children.map(endState) });
    }
    expect(states[1]).toEqual(states[0]);
    expect(states[0]?.children).toHaveLength(1);
  });

  for (const signature of ['forged', 'missing', 'stale'] as const) {
    it(`${signature} signatures are refused (400) and change nothing themselves; the pull of the payment they name pays it once`, async () => {
      const t = setup();
      t.sandbox.stripe.faults.signature = signature;
      const { paymentId, sessionId } = await t.start();
      // One pull reads the session (then its PaymentIntent and refunds).
      const sessionReads = async () =>
        (await t.outbound()).filter((m) => m.url.includes(`/v1/checkout/sessions/${sessionId}`)).length;
      const before = await sessionReads();
      await t.act(sessionId, { card: CARD_OK });
      const refused = await t.inbound();
      expect(refused.length).toBeGreaterThan(0);
      for (const message of refused)
        expect(message).toMatchObject({ verdict: 'rejected', responseStatus: 400, paymentId });
      // Verify-or-pull: Stripe was asked about the session (once per pullIntervalSeconds) and said paid.
      expect((await sessionReads()) - before).toBe(1);
      expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
      // Stripe retries a non-2xx delivery; with the signature right again, the retry changes nothing more.
      t.sandbox.stripe.faults.signature = 'valid';
      await t.sandbox.advance(3600_000 + 1000);
      expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
      const paid = (await t.store.listTransitions(paymentId)).filter((tr) => tr.to === 'paid');
      expect(paid).toHaveLength(1);
    });
  }

  it('API 500/429 on session creation: retried with the same idempotency key, one session', async () => {
    for (const status of [500, 429] as const) {
      const t = setup();
      t.sandbox.stripe.faults.apiError = { status, remaining: 1, retryAfterSeconds: 0 };
      const { sessionId } = await t.start();
      const creates = (await t.outbound()).filter((m) => m.kind === 'create-checkout-session');
      expect(creates.map((m) => m.responseStatus).sort()).toEqual([200, status].sort());
      expect(new Set(creates.map((m) => m.headers['idempotency-key'])).size).toBe(1);
      expect(t.sandbox.stripe.object(sessionId)).toMatchObject({ status: 'open' });
    }
  });

  it('an API that stays down makes the start fail with 503 BROKER_UNAVAILABLE and creates nothing', async () => {
    const t = setup({ backend: { maxNetworkRetries: 1 } });
    t.sandbox.stripe.faults.apiError = { status: 503, remaining: 5 };
    const response = await t.bridge.handler(
      new Request('https://shop.test/pay/start', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'stripe', orderId: 'order-down' }),
      }),
    );
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BROKER_UNAVAILABLE');
  });
});

describe('e2e through the Stripe sandbox: secret rolling', () => {
  it('while a secret rolls, deliveries carry two v1 values and either configured secret verifies them', async () => {
    for (const configured of [['whsec_e2e_rolled'], ['whsec_e2e_platform_endpoint']]) {
      const t = setup({ backend: { webhookSecret: [...configured, 'whsec_e2e_connect_endpoint'] } });
      const [platform] = t.sandbox.stripe.webhookEndpoints();
      t.sandbox.stripe.rollWebhookSecret(platform?.id as string, 'whsec_e2e_rolled');
      const { paymentId } = await t.paid();
      const [first] = await t.inbound();
      expect(first?.headers['stripe-signature']?.match(/v1=/g)).toHaveLength(2);
      expect({ configured, status: (await t.get(paymentId)).status }).toEqual({ configured, status: 'paid' });
    }
  });
});
