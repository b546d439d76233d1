import { describe, expect, it } from 'vitest';
import { STRIPE_SANDBOX_CONNECTED_ACCOUNTS } from '../../src/stripe/index';
import { stripeHarness, WHSEC, WHSEC_CONNECT } from '../stripe-harness';

const HOUR = 3600_000;
const tOf = (signature: string | null) => Number(/t=(\d+)/.exec(signature ?? '')?.[1]);

describe('Stripe webhooks', () => {
  it('POSTs pretty JSON events signed with the endpoint secret, t = the attempt time', async () => {
    const t = stripeHarness();
    const s = await t.session('&metadata[payment]=pay_1');
    t.sandbox.stripe.act(s.id as string, { card: '4242424242424242' });
    await t.sandbox.flush();
    const completed = t.received.find((r) => r.event.type === 'checkout.session.completed');
    expect(completed?.body.startsWith('{\n  "id": "evt_')).toBe(true);
    expect(completed?.event).toMatchObject({
      object: 'event',
      api_version: '2026-11-18.endive',
      livemode: false,
      request: { id: null, idempotency_key: null },
      data: { object: { id: s.id, client_reference_id: 'order-1', metadata: { payment: 'pay_1' } } },
    });
    expect(tOf(completed?.signature ?? null)).toBe(Math.floor(t.sandbox.clock.now() / 1000));
    expect(t.received.every((r) => t.signedBy(r, WHSEC))).toBe(true);
    expect(t.received.some((r) => t.signedBy(r, WHSEC_CONNECT))).toBe(false);
    const fetched = await t.api('GET', `/v1/events/${completed?.event.id}`);
    expect(fetched.json.type).toBe('checkout.session.completed');
  });

  it('retries a failing endpoint on the test-mode schedule, re-signing every attempt, then gives up', async () => {
    const t = stripeHarness();
    t.setAnswer(500);
    const s = await t.session();
    await t.api('POST', `/v1/checkout/sessions/${s.id}/expire`);
    await t.sandbox.flush();
    await t.sandbox.advance(HOUR);
    await t.sandbox.advance(2 * HOUR);
    await t.sandbox.advance(4 * HOUR);
    await t.sandbox.advance(24 * HOUR);
    expect(t.received.map((r) => r.at - (t.received[0]?.at ?? 0))).toEqual([0, HOUR, 3 * HOUR, 7 * HOUR]);
    expect(t.received.map((r) => tOf(r.signature) * 1000 - (t.received[0]?.at ?? 0))).toEqual([
      0,
      HOUR,
      3 * HOUR,
      7 * HOUR,
    ]);
    expect(t.received.every((r) => t.signedBy(r, WHSEC))).toBe(true);
    expect(t.sandbox.stripe.deliveries()[0]?.state).toBe('gave-up');
  });

  it('stops retrying after a 2xx', async () => {
    const t = stripeHarness();
    t.setAnswer(503);
    const s = await t.session();
    await t.api('POST', `/v1/checkout/sessions/${s.id}/expire`);
    await t.sandbox.flush();
    t.setAnswer(200);
    await t.sandbox.advance(HOUR);
    await t.sandbox.advance(10 * HOUR);
    expect(t.received).toHaveLength(2);
    expect(t.sandbox.stripe.deliveries()[0]?.state).toBe('delivered');
  });

  it('faults: duplicates, reordering, forged, missing and stale signatures', async () => {
    const t = stripeHarness();
    t.sandbox.stripe.faults.duplicate = 1;
    t.sandbox.stripe.faults.reorder = true;
    const s = await t.session();
    t.sandbox.stripe.act(s.id as string, { card: '4242424242424242' });
    await t.sandbox.flush();
    const order = [
      'checkout.session.completed',
      'payment_intent.succeeded',
      'charge.succeeded',
      'payment_intent.created',
    ];
    expect(t.types()).toEqual([...order, ...order]);
    expect(t.received[0]?.event.id).toBe(t.received[4]?.event.id);

    for (const [fault, check] of [
      ['forged', (r: (typeof t.received)[number]) => r.signature !== null && !t.signedBy(r, WHSEC)],
      ['missing', (r: (typeof t.received)[number]) => r.signature === null],
      [
        'stale',
        (r: (typeof t.received)[number]) =>
          t.signedBy(r, WHSEC) && tOf(r.signature) === Math.floor(r.at / 1000) - 600,
      ],
    ] as const) {
      t.sandbox.stripe.faults = { signature: fault };
      t.received.length = 0;
      const other = await t.session();
      await t.api('POST', `/v1/checkout/sessions/${other.id}/expire`);
      await t.sandbox.flush();
      expect(t.received, fault).toHaveLength(1);
      expect(check(t.received[0] as (typeof t.received)[number]), fault).toBe(true);
    }
  });

  it('signs with both secrets while a secret is rolled', async () => {
    const t = stripeHarness();
    const endpoint = t.sandbox.stripe.webhookEndpoints()[0];
    t.sandbox.stripe.rollWebhookSecret(endpoint?.id as string, 'whsec_rolled');
    const s = await t.session();
    await t.api('POST', `/v1/checkout/sessions/${s.id}/expire`);
    await t.sandbox.flush();
    const [only] = t.received;
    expect(only?.signature?.match(/v1=/g)).toHaveLength(2);
    expect(t.signedBy(only as (typeof t.received)[number], 'whsec_rolled')).toBe(true);
    expect(t.signedBy(only as (typeof t.received)[number], WHSEC)).toBe(true);
  });

  it('sends connected-account events only to Connect endpoints, with `account`', async () => {
    const t = stripeHarness();
    const seller = STRIPE_SANDBOX_CONNECTED_ACCOUNTS[0] as string;
    const s = await t.session('', { 'stripe-account': seller });
    t.sandbox.stripe.act(s.id as string, { card: '4242424242424242' });
    await t.sandbox.flush();
    expect(t.received.length).toBe(4);
    expect(t.received.every((r) => r.event.account === seller && t.signedBy(r, WHSEC_CONNECT))).toBe(true);
  });

  it('creates endpoints through the API (secret only on creation) and filters by enabled_events', async () => {
    const t = stripeHarness({ webhooks: [] });
    const created = await t.api(
      'POST',
      '/v1/webhook_endpoints',
      'url=https%3A%2F%2Fshop.test%2Fhook&enabled_events[0]=checkout.session.expired',
    );
    expect(created.json.secret).toMatch(/^whsec_/);
    const listed = await t.api('GET', '/v1/webhook_endpoints');
    expect((listed.json.data as Array<Record<string, unknown>>)[0]?.secret).toBeUndefined();
    const s = await t.session();
    t.sandbox.stripe.act(s.id as string, { card: '4000000000000002' });
    await t.api('POST', `/v1/checkout/sessions/${s.id}/expire`);
    await t.sandbox.flush();
    expect(t.types()).toEqual(['checkout.session.expired']);
    expect(t.signedBy(t.received[0] as (typeof t.received)[number], created.json.secret as string)).toBe(
      true,
    );
    const removed = await t.api('DELETE', `/v1/webhook_endpoints/${created.json.id}`);
    expect(removed.json).toMatchObject({ deleted: true });
  });
});
