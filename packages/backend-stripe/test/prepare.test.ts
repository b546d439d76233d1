import Stripe from 'stripe';
import { describe, expect, it, vi } from 'vitest';
import { stripe } from '../src/index';
import { fakeStripe } from './support/fake-stripe';
import { caught, fakeContext, makePayment, SECRET_KEY, SETTINGS } from './support/harness';

const prepare = async (options: Record<string, unknown>, payment = makePayment()) => {
  const fake = fakeStripe();
  const backend = stripe({ ...SETTINGS, ...options });
  const result = await backend.prepare(payment, fakeContext(fake));
  const [request] = fake.apiRequests();
  if (!request) throw new Error('no request');
  return { fake, result, request, form: request.form };
};

describe('prepare: a Checkout Session per payment', () => {
  it('creates a payment-mode session bound to the payment and redirects with GET to its URL', async () => {
    const { result, request, form } = await prepare({});
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/checkout/sessions');
    expect(request.headers.get('authorization')).toBe(`Bearer ${SECRET_KEY}`);
    expect(request.headers.get('stripe-version')).toBe('2026-11-18.endive');
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(request.headers.get('idempotency-key')).toBe('pb:pay_abc123:checkout:v1');
    expect(request.headers.get('stripe-account')).toBeNull();
    expect(Object.fromEntries(form)).toMatchObject({
      mode: 'payment',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '1999',
      'line_items[0][price_data][product_data][name]': 'Order 42',
      client_reference_id: 'pay_abc123',
      'metadata[paybridge_payment_id]': 'pay_abc123',
      'metadata[paybridge_order_id]': 'order-42',
      'payment_intent_data[metadata][paybridge_payment_id]': 'pay_abc123',
      success_url: 'https://shop.test/pay/return/stripe/pay_abc123?result=success',
      cancel_url: 'https://shop.test/pay/return/stripe/pay_abc123?result=cancel',
      customer_email: 'ada@example.com',
      locale: 'fr',
    });
    expect(form.has('payment_intent_data[capture_method]')).toBe(false);
    expect(result.externalId).toMatch(/^cs_test/);
    expect(result.redirect).toEqual({
      method: 'GET',
      url: `https://checkout.stripe.test/c/pay/${result.externalId}`,
    });
    expect(result.brokerData).toEqual({
      stripeSession: result.externalId,
      stripeConnectMode: 'local',
      stripeCheckoutMode: 'payment',
    });
  });

  it('sets expires_at from the payment expiry, within Checkout’s 30 min – 24 h window', async () => {
    const created = Date.parse('2027-01-15T12:00:00Z') / 1000;
    const inOneHour = await prepare({}, makePayment({ expiresAt: '2027-01-15T13:00:00.000Z' }));
    expect(Number(inOneHour.form.get('expires_at'))).toBe(created + 3600);
    const inFiveMinutes = await prepare({}, makePayment({ expiresAt: '2027-01-15T12:05:00.000Z' }));
    expect(Number(inFiveMinutes.form.get('expires_at'))).toBe(created + 31 * 60);
    const never = await prepare({}, makePayment({ expiresAt: null }));
    expect(Number(never.form.get('expires_at'))).toBe(created + 86_400);
  });

  it('converts the amount to Stripe units (JPY in yen, ISK with 00) and refuses what Stripe cannot take', async () => {
    const jpy = await prepare({}, makePayment({ amount: 5000, currency: 'JPY' }));
    expect(jpy.form.get('line_items[0][price_data][unit_amount]')).toBe('5000');
    expect(jpy.form.get('line_items[0][price_data][currency]')).toBe('jpy');
    const isk = await prepare({}, makePayment({ amount: 5, currency: 'ISK' }));
    expect(isk.form.get('line_items[0][price_data][unit_amount]')).toBe('500');
    const fake = fakeStripe();
    const error = await caught(
      stripe(SETTINGS).prepare(makePayment({ amount: 5125, currency: 'KWD' }), fakeContext(fake)),
    );
    expect(error.code).toBe('INVALID_AMOUNT');
    expect(fake.requests).toHaveLength(0);
  });

  it('falls back to the configured locale when Checkout does not speak the buyer’s language', async () => {
    const { form } = await prepare({ locale: 'en' }, makePayment({ buyer: { language: 'xx' } }));
    expect(form.get('locale')).toBe('en');
    expect(form.has('customer_email')).toBe(false);
  });

  it('asks for manual capture and an allowed list of methods when configured', async () => {
    const { form } = await prepare({ captureMethod: 'manual', allowedPaymentMethodTypes: ['card'] });
    expect(form.get('payment_intent_data[capture_method]')).toBe('manual');
    expect(form.get('allowed_payment_method_types[0]')).toBe('card');
  });

  it('creates a subscription-mode session with a recurring price for a recurring payment', async () => {
    const { form, result } = await prepare({}, makePayment({ recurrence: { interval: 'month', every: 3 } }));
    expect(form.get('mode')).toBe('subscription');
    expect(form.get('line_items[0][price_data][recurring][interval]')).toBe('month');
    expect(form.get('line_items[0][price_data][recurring][interval_count]')).toBe('3');
    expect(form.get('subscription_data[metadata][paybridge_payment_id]')).toBe('pay_abc123');
    expect(form.has('payment_intent_data[metadata][paybridge_payment_id]')).toBe(false);
    expect(result.brokerData).toMatchObject({ stripeCheckoutMode: 'subscription' });
    const fake = fakeStripe();
    const error = await caught(
      stripe(SETTINGS).prepare(
        makePayment({ recurrence: { interval: 'month', every: 1, cycles: 12 } }),
        fakeContext(fake),
      ),
    );
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
  });

  it('sends the same parameters and key on a retry, so Stripe replays instead of creating a second session', async () => {
    const fake = fakeStripe();
    const backend = stripe(SETTINGS);
    const payment = makePayment({ expiresAt: '2027-01-15T14:00:00.000Z' });
    const first = await backend.prepare(payment, fakeContext(fake));
    const later = { ...fakeContext(fake), now: () => new Date('2027-01-15T12:20:00Z') };
    const second = await backend.prepare(payment, later);
    expect(second.externalId).toBe(first.externalId);
    const [a, b] = fake.apiRequests(/checkout/);
    expect(b?.raw).toBe(a?.raw);
    expect([...fake.objects.values()].filter((o) => o.object === 'checkout.session')).toHaveLength(1);
  });

  it('maps Stripe errors to stable codes without leaking the key', async () => {
    const fake = fakeStripe();
    fake.failNext(400, { error: { type: 'invalid_request_error', code: 'amount_too_small', message: 'x' } });
    const refused = await caught(
      stripe({ ...SETTINGS, maxNetworkRetries: 0 }).prepare(makePayment(), fakeContext(fake)),
    );
    expect(refused.code).toBe('BROKER_ERROR');
    expect(refused.details).toMatchObject({ httpStatus: 400, stripeCode: 'amount_too_small' });
    expect(JSON.stringify(refused.toJSON())).not.toContain(SECRET_KEY);

    fake.failNext(503, { error: { type: 'api_error', message: 'down' } });
    const down = await caught(
      stripe({ ...SETTINGS, maxNetworkRetries: 0 }).prepare(makePayment(), fakeContext(fake)),
    );
    expect(down.code).toBe('BROKER_UNAVAILABLE');
  });

  it('retries a 5xx itself with the same idempotency key', async () => {
    const fake = fakeStripe();
    fake.failNext(500, { error: { type: 'api_error', message: 'hiccup' } });
    const result = await stripe({ ...SETTINGS, maxNetworkRetries: 1 }).prepare(
      makePayment(),
      fakeContext(fake),
    );
    expect(result.externalId).toMatch(/^cs_/);
    const keys = fake.apiRequests().map((r) => r.headers.get('idempotency-key'));
    expect(keys).toEqual(['pb:pay_abc123:checkout:v1', 'pb:pay_abc123:checkout:v1']);
  });
});

describe("prepare: the merchant's own Stripe client", () => {
  it('is used as it is (its API version and HTTP client), with our idempotency key, bypassing the bridge fetch', async () => {
    const fake = fakeStripe();
    const client = new Stripe(SECRET_KEY, {
      apiVersion: '2025-03-31.basil' as Stripe.LatestApiVersion,
      httpClient: Stripe.createFetchHttpClient(((url: string | URL, init?: RequestInit) =>
        fake.handle(String(url), init ?? {}, 'merchant-client')) as typeof fetch),
      maxNetworkRetries: 0,
      telemetry: false,
    });
    const bridgeFetch = vi.fn();
    const ctx = { ...fakeContext(fake), fetch: bridgeFetch };
    const result = await stripe({ ...SETTINGS, client }).prepare(makePayment(), ctx);
    expect(result.externalId).toMatch(/^cs_test/);
    expect(bridgeFetch).not.toHaveBeenCalled();
    const [request] = fake.apiRequests();
    expect(request).toMatchObject({ kind: 'merchant-client', path: '/v1/checkout/sessions' });
    expect(request?.headers.get('stripe-version')).toBe('2025-03-31.basil');
    expect(request?.headers.get('idempotency-key')).toBe('pb:pay_abc123:checkout:v1');
  });

  it('refuses something that is not a Stripe client', () => {
    expect(() => stripe({ ...SETTINGS, client: {} as Stripe })).toThrow(/client.*Stripe client/);
  });
});

describe('prepare: Connect', () => {
  const seller = (id: string) => makePayment({ order: { stripeAccount: id } });

  it('local mode sends no Connect parameter even when the order names an account', async () => {
    const { form, request } = await prepare({}, seller('acct_1Seller'));
    expect([...form.keys()].some((k) => k.includes('transfer_data') || k.includes('application_fee'))).toBe(
      false,
    );
    expect(request.headers.get('stripe-account')).toBeNull();
  });

  it('forward mode makes a destination charge with the fee the merchant callback computes', async () => {
    const { form, request, result } = await prepare(
      {
        connect: {
          mode: 'forward',
          applicationFee: (p: { amount: number }) => Math.round(p.amount / 10),
          onBehalfOf: true,
        },
      },
      seller('acct_1Seller'),
    );
    expect(request.headers.get('stripe-account')).toBeNull();
    expect(Object.fromEntries(form)).toMatchObject({
      'payment_intent_data[transfer_data][destination]': 'acct_1Seller',
      'payment_intent_data[application_fee_amount]': '200',
      'payment_intent_data[on_behalf_of]': 'acct_1Seller',
      'payment_intent_data[transfer_group]': 'pb-pay_abc123',
    });
    expect(result.brokerData).toMatchObject({ stripeConnectMode: 'forward', stripeAccount: 'acct_1Seller' });
  });

  it('remote mode creates the session on the connected account (Stripe-Account) with the platform fee', async () => {
    const { form, request, result } = await prepare(
      { connect: { mode: 'remote', applicationFee: () => 150 } },
      seller('acct_1Remote'),
    );
    expect(request.headers.get('stripe-account')).toBe('acct_1Remote');
    expect(form.get('payment_intent_data[application_fee_amount]')).toBe('150');
    expect(form.has('payment_intent_data[transfer_data][destination]')).toBe(false);
    expect(result.brokerData).toMatchObject({ stripeConnectMode: 'remote', stripeAccount: 'acct_1Remote' });
  });

  it('forward subscriptions take the fee as a percentage and transfer to the account', async () => {
    const { form } = await prepare(
      { connect: { mode: 'forward', applicationFee: () => 250 } },
      makePayment({
        amount: 2000,
        order: { stripeAccount: 'acct_1Seller' },
        recurrence: { interval: 'month', every: 1 },
      }),
    );
    expect(form.get('subscription_data[transfer_data][destination]')).toBe('acct_1Seller');
    expect(form.get('subscription_data[application_fee_percent]')).toBe('12.5');
  });

  it('refuses a forward/remote payment without an account, and a fee outside 0…amount', async () => {
    const fake = fakeStripe();
    const none = await caught(
      stripe({ ...SETTINGS, connect: { mode: 'remote' } }).prepare(makePayment(), fakeContext(fake)),
    );
    expect(none.code).toBe('BACKEND_UNAVAILABLE');
    const fee = await caught(
      stripe({ ...SETTINGS, connect: { mode: 'forward', applicationFee: () => 5000 } }).prepare(
        seller('acct_1Seller'),
        fakeContext(fake),
      ),
    );
    expect(fee.code).toBe('INVALID_CONFIG');
    expect(fake.requests).toHaveLength(0);
  });

  it('takes the account from a merchant callback, or the default account', async () => {
    const custom = await prepare({
      connect: {
        mode: 'forward',
        account: (p: { orderId: string }) => (p.orderId === 'order-42' ? 'acct_1Custom' : null),
      },
    });
    expect(custom.form.get('payment_intent_data[transfer_data][destination]')).toBe('acct_1Custom');
    const fallback = await prepare({ connect: { mode: 'forward', defaultAccount: 'acct_1Default' } });
    expect(fallback.form.get('payment_intent_data[transfer_data][destination]')).toBe('acct_1Default');
  });
});

describe('prepare: expires_at when prepare comes late', () => {
  it('moves expires_at to the clock only when the payment-based one would already be outside the window', async () => {
    const fake = fakeStripe();
    const late = { ...fakeContext(fake), now: () => new Date('2027-01-16T12:00:00Z') };
    await stripe(SETTINGS).prepare(makePayment({ expiresAt: null }), late);
    const now = Date.parse('2027-01-16T12:00:00Z') / 1000;
    expect(Number(fake.apiRequests()[0]?.form.get('expires_at'))).toBe(now + 31 * 60);
  });
});
