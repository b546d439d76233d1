import { describe, expect, it } from 'vitest';
import { CARD_OK, SHOP, setup } from './support/e2e';

describe('e2e through the Stripe sandbox: one-off payments', () => {
  it('pay by card: webhooks make it paid, the buyer is sent back through the return route', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    const step = await t.act(sessionId, { card: CARD_OK });
    expect(step).toMatchObject({ method: 'GET' });
    expect((step as { url: string }).url).toBe(`${SHOP}/return/stripe/${paymentId}?result=success`);
    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountPaid: 1999, amountRefunded: 0 });
    expect(payment.brokerData.stripePaymentIntent).toMatch(/^pi_/);
    const notifications = await t.inbound();
    expect(notifications.length).toBeGreaterThan(0);
    for (const message of notifications)
      expect(message).toMatchObject({ verdict: 'verified', responseStatus: 200 });
    const back = await t.bridge.handler(new Request((step as { url: string }).url));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toContain('https://shop.test/thanks');
  });

  it('the outbound calls are in the message log with the secret key redacted', async () => {
    const t = setup();
    await t.paid();
    const calls = await t.outbound();
    expect(calls.map((c) => c.kind)).toContain('create-checkout-session');
    const text = JSON.stringify(calls);
    expect(text).not.toContain('sk_test_paybridge_sandbox');
    expect(calls.find((c) => c.kind === 'create-checkout-session')?.headers['idempotency-key']).toMatch(
      /^pb:pay_|^pb:/,
    );
  });

  it('3-D Secure: the payment is paid after the buyer completes the challenge, failed challenge pays nothing', async () => {
    const t = setup();
    const ok = await t.start();
    const challenge = await t.act(ok.sessionId, { card: '4000002500003155' });
    expect((challenge as { url: string }).url).toContain('/c/3ds/');
    expect((await t.get(ok.paymentId)).status).toBe('new');
    await t.act(ok.sessionId, { authenticate: 'complete' });
    expect((await t.get(ok.paymentId)).status).toBe('paid');

    const ko = await t.start();
    await t.act(ko.sessionId, { card: '4000002500003155' });
    await t.act(ko.sessionId, { authenticate: 'fail' });
    expect((await t.get(ko.paymentId)).amountPaid).toBe(0);
  });

  it('decline: the buyer may retry on the page; abandoned, the session expires and its intent is canceled', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    const step = await t.act(sessionId, { card: '4000000000000002' });
    expect(step.method).toBe('NONE');
    expect((await t.get(paymentId)).status).toBe('new');
    t.sandbox.stripe.expire(sessionId);
    await t.sandbox.flush();
    // The declined attempt's PaymentIntent is canceled with the session: a failure, whatever the order.
    expect(await t.get(paymentId)).toMatchObject({ status: 'failed', amountPaid: 0 });
  });

  it('a session nobody paid expires the payment', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    await t.sandbox.advance(24 * 3600_000 + 1000);
    expect(t.sandbox.stripe.object(sessionId)?.status).toBe('expired');
    expect((await t.get(paymentId)).status).toBe('expired');
  });

  it('decline then a good card pays (the same session)', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    await t.act(sessionId, { card: '4000000000009995' });
    await t.act(sessionId, { card: CARD_OK });
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });

  it('async method (SEPA): pending at completion, paid when the debit settles later; a failing debit fails', async () => {
    const t = setup();
    const ok = await t.start();
    await t.act(ok.sessionId, { iban: 'DE89370400440532013000' });
    expect((await t.get(ok.paymentId)).status).toBe('pending');
    await t.sandbox.advance(3 * 60_000 + 1000);
    expect(await t.get(ok.paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });

    const ko = await t.start();
    await t.act(ko.sessionId, { iban: 'DE62370400440532013001' });
    expect((await t.get(ko.paymentId)).status).toBe('pending');
    await t.sandbox.advance(3 * 60_000 + 1000);
    expect(await t.get(ko.paymentId)).toMatchObject({ status: 'failed', amountPaid: 0 });
  });

  it('cancel before payment expires the session at Stripe: a late payment attempt is refused by the page', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    expect(await t.bridge.cancel(paymentId)).toMatchObject({ status: 'expired' });
    const step = await t.act(sessionId, { card: CARD_OK });
    expect(step.method).toBe('NONE');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'expired', amountPaid: 0 });
  });

  it('sync pulls the truth without any webhook', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    // The buyer pays; Stripe's webhooks are queued, never delivered.
    await t.sandbox.stripe.act(sessionId, { card: CARD_OK });
    expect((await t.get(paymentId)).status).toBe('new');
    expect(await t.bridge.sync(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });
});
