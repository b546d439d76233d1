import { describe, expect, it } from 'vitest';
import { stripeHarness } from '../stripe-harness';

const DAY = 24 * 3600 * 1000;

describe('Stripe lifecycle on the sandbox clock', () => {
  it('voids an authorization not captured within 7 days: charge.expired, payment_intent.canceled (automatic)', async () => {
    const t = stripeHarness();
    const s = await t.session('&payment_intent_data[capture_method]=manual');
    t.sandbox.stripe.act(s.id as string, { card: '4242424242424242' });
    await t.sandbox.flush();
    t.received.length = 0;
    await t.sandbox.advance(7 * DAY - 1000);
    expect(t.received).toHaveLength(0);
    await t.sandbox.advance(1000);
    expect(t.types()).toEqual(['payment_intent.canceled', 'charge.expired']);
    const pi = t.sandbox.stripe.object(s.id as string)?.payment_intent as string;
    expect((await t.api('GET', `/v1/payment_intents/${pi}`)).json).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'automatic',
      amount_capturable: 0,
    });
    const capture = await t.api('POST', `/v1/payment_intents/${pi}/capture`);
    expect((capture.json.error as { code: string }).code).toBe('payment_intent_unexpected_state');
  });

  it('a capture in time is not voided later', async () => {
    const t = stripeHarness();
    const s = await t.session('&payment_intent_data[capture_method]=manual');
    t.sandbox.stripe.act(s.id as string, { card: '4242424242424242' });
    const pi = t.sandbox.stripe.object(s.id as string)?.payment_intent as string;
    await t.sandbox.advance(6 * DAY);
    expect((await t.api('POST', `/v1/payment_intents/${pi}/capture`)).json.status).toBe('succeeded');
    await t.sandbox.flush();
    t.received.length = 0;
    await t.sandbox.advance(2 * DAY);
    expect(t.types()).toEqual([]);
  });

  it('lists events by type and created range (reconciliation after downtime)', async () => {
    const t = stripeHarness();
    const before = Math.floor(t.sandbox.clock.now() / 1000);
    const first = await t.session();
    await t.api('POST', `/v1/checkout/sessions/${first.id}/expire`);
    await t.sandbox.advance(3600_000);
    const second = await t.session();
    await t.api('POST', `/v1/checkout/sessions/${second.id}/expire`);
    const all = await t.api('GET', '/v1/events', 'type=checkout.session.expired');
    expect((all.json.data as unknown[]).length).toBe(2);
    const recent = await t.api(
      'GET',
      '/v1/events',
      `type=checkout.session.expired&created[gte]=${before + 1800}`,
    );
    const data = recent.json.data as Array<{ data: { object: { id: string } } }>;
    expect(data.map((e) => e.data.object.id)).toEqual([second.id]);
    const exact = await t.api('GET', '/v1/events', `created=${before}`);
    expect((exact.json.data as unknown[]).length).toBe(1);
    const bad = await t.api('GET', '/v1/events', 'created[after]=1');
    expect(bad.status).toBe(400);
  });
});
