import { describe, expect, it } from 'vitest';
import { stripeHarness } from '../stripe-harness';

describe('Stripe disputes', () => {
  it('the 4000…0259 card is disputed after paying: created + funds_withdrawn, refunds refused, won reinstates', async () => {
    const t = stripeHarness();
    const s = await t.session();
    t.sandbox.stripe.act(s.id as string, { card: '4000000000000259' });
    await t.sandbox.flush();
    t.received.length = 0;
    await t.sandbox.advance(60_000);
    expect(t.types()).toEqual(['charge.dispute.created', 'charge.dispute.funds_withdrawn']);
    const dispute = t.received[0]?.event.data.object as Record<string, unknown>;
    expect(dispute).toMatchObject({
      object: 'dispute',
      amount: 1999,
      currency: 'eur',
      status: 'needs_response',
      reason: 'fraudulent',
    });
    const pi = t.sandbox.stripe.object(s.id as string)?.payment_intent as string;
    expect(dispute.payment_intent).toBe(pi);
    const refused = await t.api('POST', '/v1/refunds', `payment_intent=${pi}`);
    expect(refused.status).toBe(400);
    expect((refused.json.error as { code: string }).code).toBe('charge_disputed');
    t.sandbox.stripe.closeDispute(dispute.id as string, 'won');
    await t.sandbox.flush();
    expect(t.types().slice(2)).toEqual(['charge.dispute.funds_reinstated', 'charge.dispute.closed']);
    expect((await t.api('GET', `/v1/disputes/${dispute.id}`)).json.status).toBe('won');
    expect(() => t.sandbox.stripe.closeDispute(dispute.id as string, 'lost')).toThrow(/already won/);
  });

  it('a dispute opened by control on a partially refunded payment covers what is left; lost closes it', async () => {
    const t = stripeHarness();
    const s = await t.session();
    t.sandbox.stripe.act(s.id as string, { card: '4242424242424242' });
    const pi = t.sandbox.stripe.object(s.id as string)?.payment_intent as string;
    await t.api('POST', '/v1/refunds', `payment_intent=${pi}&amount=999`);
    const id = t.sandbox.stripe.dispute(pi, 'product_not_received');
    expect(t.sandbox.stripe.object(id)).toMatchObject({ amount: 1000, reason: 'product_not_received' });
    t.sandbox.stripe.closeDispute(id, 'lost');
    await t.sandbox.flush();
    expect(t.types().slice(-3)).toEqual([
      'charge.dispute.created',
      'charge.dispute.funds_withdrawn',
      'charge.dispute.closed',
    ]);
    const listed = await t.api('GET', '/v1/disputes', `payment_intent=${pi}`);
    expect((listed.json.data as Array<{ status: string }>).map((d) => d.status)).toEqual(['lost']);
  });
});

describe('Stripe simulator: configurable UNCONFIRMED rules and body encoding', () => {
  it('refuses JSON bodies on v1', async () => {
    const t = stripeHarness();
    const json = await t.api('POST', '/v1/checkout/sessions', '{"mode":"payment"}', {
      'content-type': 'application/json',
    });
    expect(json.status).toBe(400);
    expect((json.json.error as { type: string }).type).toBe('invalid_request_error');
  });

  it('ISK refunds must be whole units too; UGX joins the rule when configured', async () => {
    const t = stripeHarness({ wholeUnitCurrencies: ['isk', 'ugx'] });
    const isk = await t.api(
      'POST',
      '/v1/checkout/sessions',
      'mode=payment&line_items[0][price_data][currency]=isk&line_items[0][price_data][unit_amount]=50000&line_items[0][price_data][product_data][name]=A&line_items[0][quantity]=1&success_url=https%3A%2F%2Fa.test',
    );
    t.sandbox.stripe.act(isk.json.id as string, { card: '4242424242424242' });
    const pi = t.sandbox.stripe.object(isk.json.id as string)?.payment_intent as string;
    const partial = await t.api('POST', '/v1/refunds', `payment_intent=${pi}&amount=150`);
    expect((partial.json.error as { code: string }).code).toBe('invalid_charge_amount_no_decimal_compatible');
    expect((await t.api('POST', '/v1/refunds', `payment_intent=${pi}&amount=200`)).json.status).toBe(
      'succeeded',
    );
    const ugx = await t.api(
      'POST',
      '/v1/checkout/sessions',
      'mode=payment&line_items[0][price_data][currency]=ugx&line_items[0][price_data][unit_amount]=150050&line_items[0][price_data][product_data][name]=A&line_items[0][quantity]=1&success_url=https%3A%2F%2Fa.test',
    );
    expect(ugx.status).toBe(400);
  });

  it('manual capture: the completed session says `paid` when so configured', async () => {
    const t = stripeHarness({ manualCapturePaymentStatus: 'paid' });
    const s = await t.session('&payment_intent_data[capture_method]=manual');
    t.sandbox.stripe.act(s.id as string, { card: '4242424242424242' });
    expect(t.sandbox.stripe.object(s.id as string)).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
    });
  });
});
