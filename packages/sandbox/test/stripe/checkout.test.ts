import { describe, expect, it } from 'vitest';
import { SESSION_HEADER } from '../../src/lib/simulator';
import { stripeHarness } from '../stripe-harness';

const form = (url: string, fields: Record<string, string>, origin = 'http://sandbox.test') =>
  new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams(fields).toString(),
  });

describe('Stripe hosted Checkout page', () => {
  it('serves the session URL with the test-mode page, line items and both payment forms', async () => {
    const t = stripeHarness();
    const s = await t.session('&line_items[0][price_data][product_data][name]=%3Cb%3EMug%3C%2Fb%3E');
    const page = await t.sandbox.handler(new Request(s.url as string));
    expect(page.status).toBe(200);
    expect(page.headers.get(SESSION_HEADER)).toBe(s.id);
    const html = await page.text();
    expect(html).toContain('TEST MODE');
    expect(html).toContain('19.99 EUR');
    expect(html).toContain('&#60;b&#62;Mug');
    expect(html).toContain('name="card"');
    expect(html).toContain('name="iban"');
    expect(html).toContain('href="https://shop.test/back"');
  });

  it('pays with 4242: 303 to success_url with the session id, complete + paid, PaymentIntent succeeded', async () => {
    const t = stripeHarness();
    const s = await t.session();
    const paid = await t.sandbox.handler(
      form(s.url as string, { method: 'card', card: '4242 4242 4242 4242', email: 'b@example.com' }),
    );
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://shop.test/ok?s=${s.id}`);
    const session = t.sandbox.stripe.object(s.id as string) as Record<string, unknown>;
    expect(session).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      url: null,
      customer_details: { email: 'b@example.com' },
    });
    const pi = t.sandbox.stripe.object(session.payment_intent as string) as Record<string, unknown>;
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: 1999, currency: 'eur' });
    const again = await t.sandbox.handler(
      form(s.url as string, { method: 'card', card: '4242424242424242' }),
    );
    expect(again.status).toBe(410);
    expect((await t.sandbox.handler(new Request(s.url as string))).status).toBe(410);
  });

  it('runs the 3-D Secure step: Fail leaves the session open with an error, Complete pays', async () => {
    const t = stripeHarness();
    const s = await t.session();
    const challenged = await t.sandbox.handler(
      form(s.url as string, { method: 'card', card: '4000002500003155' }),
    );
    expect(challenged.status).toBe(303);
    const threeDs = challenged.headers.get('location') as string;
    expect(threeDs).toBe(`http://sandbox.test/stripe/c/3ds/${s.id}`);
    const challenge = await (await t.sandbox.handler(new Request(threeDs))).text();
    expect(challenge).toContain('value="complete"');
    const failed = await t.sandbox.handler(form(threeDs, { outcome: 'fail' }));
    expect(failed.status).toBe(402);
    expect(await failed.text()).toContain('unable to authenticate');
    const session = t.sandbox.stripe.object(s.id as string) as Record<string, unknown>;
    expect(session.status).toBe('open');
    expect(t.sandbox.stripe.object(session.payment_intent as string)).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'payment_intent_authentication_failure' },
    });
    expect(t.sandbox.stripe.act(s.id as string, { card: '4000002500003155' }).method).toBe('GET');
    const done = t.sandbox.stripe.act(s.id as string, { authenticate: 'complete' });
    expect(done).toEqual({ method: 'GET', url: `https://shop.test/ok?s=${s.id}` });
    await t.sandbox.flush();
    expect(t.types()).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'charge.failed',
      'payment_intent.payment_failed',
      'payment_intent.requires_action',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
  });

  it('declines 4000…0002 with generic_decline, the buyer may retry on the same session', async () => {
    const t = stripeHarness();
    const s = await t.session();
    const declined = await t.sandbox.handler(
      form(s.url as string, { method: 'card', card: '4000000000000002' }),
    );
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');
    const pi = t.sandbox.stripe.object(t.sandbox.stripe.object(s.id as string)?.payment_intent as string);
    expect(pi).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', decline_code: 'generic_decline' },
    });
    expect(t.sandbox.stripe.act(s.id as string, { card: '4000000000009995' }).method).toBe('NONE');
    expect(t.sandbox.stripe.act(s.id as string, { card: '1234' }).method).toBe('NONE');
    expect(t.sandbox.stripe.act(s.id as string, { card: '5555555555554444' }).method).toBe('GET');
  });

  it('settles a SEPA debit later on the sandbox clock: completed+unpaid, then async_payment_succeeded', async () => {
    const t = stripeHarness();
    const s = await t.session();
    const step = t.sandbox.stripe.act(s.id as string, {
      iban: 'DE89 3704 0044 0532 0130 00',
      email: 'b@example.com',
    });
    expect(step.method).toBe('GET');
    expect(t.sandbox.stripe.object(s.id as string)).toMatchObject({
      status: 'complete',
      payment_status: 'unpaid',
    });
    await t.sandbox.flush();
    expect(t.types()).toEqual([
      'payment_intent.created',
      'charge.pending',
      'payment_intent.processing',
      'checkout.session.completed',
    ]);
    await t.sandbox.advance(3 * 60_000);
    expect(t.types().slice(4)).toEqual([
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.async_payment_succeeded',
    ]);
    expect(t.sandbox.stripe.object(s.id as string)).toMatchObject({ payment_status: 'paid' });
  });

  it('fails a SEPA debit later: async_payment_failed, no money', async () => {
    const t = stripeHarness();
    const s = await t.session();
    t.sandbox.stripe.act(s.id as string, { iban: 'DE62370400440532013001' });
    await t.sandbox.advance(3 * 60_000);
    expect(t.types().slice(-3)).toEqual([
      'charge.failed',
      'payment_intent.payment_failed',
      'checkout.session.async_payment_failed',
    ]);
    const pi = t.sandbox.stripe.object(t.sandbox.stripe.object(s.id as string)?.payment_intent as string);
    expect(pi).toMatchObject({ status: 'requires_payment_method', amount_received: 0 });
  });

  it('expires an abandoned session at expires_at (its PaymentIntent canceled), then refuses /expire', async () => {
    const t = stripeHarness();
    const s = await t.session();
    t.sandbox.stripe.act(s.id as string, { card: '4000000000000002' });
    await t.sandbox.advance(24 * 3600 * 1000 - 1000);
    expect(t.types()).not.toContain('checkout.session.expired');
    await t.sandbox.advance(1000);
    expect(t.types().slice(-2)).toEqual(['payment_intent.canceled', 'checkout.session.expired']);
    const session = t.sandbox.stripe.object(s.id as string) as Record<string, unknown>;
    expect(session).toMatchObject({ status: 'expired', url: null });
    expect(t.sandbox.stripe.object(session.payment_intent as string)).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'abandoned',
    });
    const expire = await t.api('POST', `/v1/checkout/sessions/${s.id}/expire`);
    expect(expire.status).toBe(400);
    expect((await t.sandbox.handler(new Request(s.url as string))).status).toBe(410);
  });

  it('expires on POST /expire with the request named in the event', async () => {
    const t = stripeHarness();
    const s = await t.session();
    const expired = await t.api('POST', `/v1/checkout/sessions/${s.id}/expire`, '', {
      'idempotency-key': 'exp-1',
    });
    expect(expired.json).toMatchObject({ status: 'expired', url: null });
    await t.sandbox.flush();
    expect(t.received[0]?.event).toMatchObject({
      type: 'checkout.session.expired',
      request: { idempotency_key: 'exp-1' },
    });
  });

  it('refuses a cross-site POST (Origin), an oversized form and an unknown method, changing nothing', async () => {
    const t = stripeHarness();
    const s = await t.session();
    const foreign = await t.sandbox.handler(
      form(s.url as string, { method: 'card', card: '4242424242424242' }, 'https://evil.test'),
    );
    expect(foreign.status).toBe(403);
    const big = await t.sandbox.handler(form(s.url as string, { method: 'card', card: '4'.repeat(20_000) }));
    expect(big.status).toBe(413);
    const odd = await t.sandbox.handler(form(s.url as string, { method: 'bitcoin' }));
    expect(odd.status).toBe(400);
    expect(t.sandbox.stripe.object(s.id as string)).toMatchObject({ status: 'open', payment_intent: null });
    expect(
      (await t.sandbox.handler(new Request('http://sandbox.test/stripe/c/pay/cs_test_unknown'))).status,
    ).toBe(404);
  });

  it('authorizes only with capture_method=manual; completed session stays unpaid until capture', async () => {
    const t = stripeHarness();
    const s = await t.session('&payment_intent_data[capture_method]=manual');
    t.sandbox.stripe.act(s.id as string, { card: '4242424242424242' });
    await t.sandbox.flush();
    expect(t.types()).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
      'checkout.session.completed',
    ]);
    const pi = t.sandbox.stripe.object(s.id as string)?.payment_intent as string;
    const canceled = await t.api(
      'POST',
      `/v1/payment_intents/${pi}/cancel`,
      'cancellation_reason=requested_by_customer',
    );
    expect(canceled.json).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'requested_by_customer',
      amount_capturable: 0,
    });
    const refund = await t.api('POST', '/v1/refunds', `payment_intent=${pi}`);
    expect(refund.status).toBe(400);
  });
});
