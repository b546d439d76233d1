import { describe, expect, it } from 'vitest';
import { STRIPE_SANDBOX_CONNECTED_ACCOUNTS, STRIPE_SANDBOX_SECRET_KEY } from '../../src/stripe/index';
import { stripeHarness } from '../stripe-harness';

const SELLER = STRIPE_SANDBOX_CONNECTED_ACCOUNTS[0] as string;
const err = (json: Record<string, unknown>) => json.error as Record<string, unknown>;

describe('Stripe simulator API: auth, errors, validation', () => {
  it('answers 401 without a key or with a wrong one (masked), accepts Bearer and HTTP Basic', async () => {
    const t = stripeHarness();
    const none = await t.api('GET', '/v1/checkout/sessions', '', { authorization: '' });
    expect(none.status).toBe(401);
    expect(err(none.json).type).toBe('invalid_request_error');
    const wrong = await t.api('GET', '/v1/checkout/sessions', '', {
      authorization: 'Bearer sk_test_abcdefghijklmnop1234',
    });
    expect(wrong.status).toBe(401);
    expect(err(wrong.json).message).toContain('sk_test_');
    expect(err(wrong.json).message).toContain('1234');
    expect(err(wrong.json).message).not.toContain('abcdefghijklmnop');
    const basic = await t.api('GET', '/v1/checkout/sessions', '', {
      authorization: `Basic ${btoa(`${STRIPE_SANDBOX_SECRET_KEY}:`)}`,
    });
    expect(basic.status).toBe(200);
    expect(basic.json).toMatchObject({
      object: 'list',
      data: [],
      has_more: false,
      url: '/v1/checkout/sessions',
    });
    expect(basic.headers.get('request-id')).toMatch(/^req_/);
  });

  it('rejects unknown and missing parameters, bad URLs, bad amounts, with param and code', async () => {
    const t = stripeHarness();
    const cases: Array<[string, string, string | undefined]> = [
      ['mode=payment&foo=1', 'foo', undefined],
      ['line_items[0][quantity]=1', 'mode', 'parameter_missing'],
      ['mode=payment&success_url=https%3A%2F%2Fa.test', 'line_items', 'parameter_missing'],
      [
        'mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=1x&line_items[0][price_data][product_data][name]=A&line_items[0][quantity]=1&success_url=https%3A%2F%2Fa.test',
        'line_items[0][price_data][unit_amount]',
        'parameter_invalid_integer',
      ],
      [
        'mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=10&line_items[0][price_data][product_data][name]=A&line_items[0][quantity]=1&success_url=https%3A%2F%2Fa.test',
        'line_items',
        'amount_too_small',
      ],
      [
        'mode=payment&line_items[0][price_data][currency]=isk&line_items[0][price_data][unit_amount]=50050&line_items[0][price_data][product_data][name]=A&line_items[0][quantity]=1&success_url=https%3A%2F%2Fa.test',
        'line_items',
        'invalid_charge_amount_no_decimal_compatible',
      ],
      [
        'mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=1000&line_items[0][price_data][product_data][name]=A&line_items[0][quantity]=1&success_url=ftp%3A%2F%2Fa',
        'success_url',
        'url_invalid',
      ],
      [
        'mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=1000&line_items[0][price_data][product_data][name]=A&line_items[0][price_data][recurring][interval]=month&line_items[0][quantity]=1&success_url=https%3A%2F%2Fa.test',
        'line_items[0][price_data][recurring]',
        undefined,
      ],
      [
        'mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=1000&line_items[0][price_data][product_data][name]=A&line_items[0][quantity]=1&success_url=https%3A%2F%2Fa.test&payment_intent_data[application_fee_amount]=10',
        'payment_intent_data[application_fee_amount]',
        undefined,
      ],
    ];
    for (const [body, param, code] of cases) {
      const answer = await t.api('POST', '/v1/checkout/sessions', body);
      expect(answer.status, body).toBe(400);
      expect(err(answer.json), body).toMatchObject({
        type: 'invalid_request_error',
        param,
        ...(code ? { code } : {}),
      });
    }
    expect(t.sandbox.stripe.object('cs_test_x')).toBeNull();
    const listed = await t.api('GET', '/v1/checkout/sessions');
    expect(listed.json.data).toEqual([]);
  });

  it('checks expires_at against the sandbox clock (30 min … 24 h)', async () => {
    const t = stripeHarness();
    const now = Math.floor(t.sandbox.clock.now() / 1000);
    const early = await t.session(`&expires_at=${now + 60}`).catch((e: Error) => e.message);
    expect(early).toContain('"param":"expires_at"');
    const shortest = await t.session(`&expires_at=${now + 1800}`);
    expect(shortest.expires_at).toBe(now + 1800);
    expect((await t.session()).expires_at).toBe(now + 86400);
    const tooLate = await t.session(`&expires_at=${now + 86401}`).catch((e: Error) => e.message);
    expect(tooLate).toContain('expires_at');
  });

  it('answers 404 resource_missing, unknown URLs, 413 for an oversized body', async () => {
    const t = stripeHarness();
    const missing = await t.api('GET', '/v1/payment_intents/pi_nope');
    expect(missing.status).toBe(404);
    expect(err(missing.json)).toMatchObject({
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'id',
    });
    const unknown = await t.api('GET', '/v1/nothing_here');
    expect(unknown.status).toBe(404);
    const big = await t.api(
      'POST',
      '/v1/checkout/sessions',
      `mode=payment&client_reference_id=${'x'.repeat(300_000)}`,
    );
    expect(big.status).toBe(413);
  });

  it('expands ids into objects and paginates lists newest first', async () => {
    const t = stripeHarness();
    const first = await t.session();
    const second = await t.session();
    const third = await t.session();
    const page = await t.api('GET', '/v1/checkout/sessions', 'limit=2');
    expect((page.json.data as Array<{ id: string }>).map((s) => s.id)).toEqual([third.id, second.id]);
    expect(page.json.has_more).toBe(true);
    const next = await t.api('GET', '/v1/checkout/sessions', `limit=2&starting_after=${second.id}`);
    expect((next.json.data as Array<{ id: string }>).map((s) => s.id)).toEqual([first.id]);
    t.sandbox.stripe.act(first.id as string, { card: '4242424242424242' });
    const expanded = await t.api(
      'GET',
      `/v1/checkout/sessions/${first.id}`,
      'expand[0]=payment_intent.latest_charge',
    );
    const pi = expanded.json.payment_intent as Record<string, unknown>;
    expect(pi.object).toBe('payment_intent');
    expect((pi.latest_charge as Record<string, unknown>).object).toBe('charge');
    const bad = await t.api('GET', `/v1/checkout/sessions/${first.id}`, 'expand[0]=nothing');
    expect(bad.status).toBe(400);
  });
});

describe('Stripe simulator API: Idempotency-Key and Stripe-Account', () => {
  it('replays the first answer for the same key and parameters, refuses other parameters', async () => {
    const t = stripeHarness();
    const key = { 'idempotency-key': 'pb:order-1:checkout:v1' };
    const body =
      'mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=1000&line_items[0][price_data][product_data][name]=A&line_items[0][quantity]=1&success_url=https%3A%2F%2Fa.test';
    const first = await t.api('POST', '/v1/checkout/sessions', body, key);
    const second = await t.api('POST', '/v1/checkout/sessions', body, key);
    expect(second.json.id).toBe(first.json.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const other = await t.api('POST', '/v1/checkout/sessions', `${body}&client_reference_id=x`, key);
    expect(other.status).toBe(400);
    expect(err(other.json).type).toBe('idempotency_error');
    const listed = await t.api('GET', '/v1/checkout/sessions');
    expect(listed.json.data).toHaveLength(1);
    // Keys are per account: the same key on a connected account is a new request.
    const seller = await t.api('POST', '/v1/checkout/sessions', body, { ...key, 'stripe-account': SELLER });
    expect(seller.json.id).not.toBe(first.json.id);
    // Forgotten after 24 h.
    await t.sandbox.advance(24 * 3600 * 1000 + 1);
    const later = await t.api('POST', '/v1/checkout/sessions', body, key);
    expect(later.json.id).not.toBe(first.json.id);
  });

  it('does not store a rejected parameter set, but replays a refused state change', async () => {
    const t = stripeHarness();
    const bad = await t.api('POST', '/v1/checkout/sessions', 'mode=payment', { 'idempotency-key': 'k1' });
    expect(bad.status).toBe(400);
    const session = await t.session('', { 'idempotency-key': 'k2' });
    expect(session.status).toBe('open');
    const s = await t.session();
    t.sandbox.stripe.act(s.id as string, { card: '4242424242424242' });
    const pi = (await t.api('GET', `/v1/checkout/sessions/${s.id}`)).json.payment_intent as string;
    const refused = await t.api('POST', `/v1/payment_intents/${pi}/capture`, '', {
      'idempotency-key': 'cap',
    });
    expect(refused.status).toBe(400);
    expect(err(refused.json).code).toBe('payment_intent_unexpected_state');
    const replay = await t.api('POST', `/v1/payment_intents/${pi}/capture`, '', { 'idempotency-key': 'cap' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json).toEqual(refused.json);
  });

  it('keeps connected-account objects invisible without the same Stripe-Account; unknown accounts get 403', async () => {
    const t = stripeHarness();
    const direct = await t.session('&payment_intent_data[application_fee_amount]=100', {
      'stripe-account': SELLER,
    });
    expect((await t.api('GET', `/v1/checkout/sessions/${direct.id}`)).status).toBe(404);
    expect(
      (await t.api('GET', `/v1/checkout/sessions/${direct.id}`, '', { 'stripe-account': SELLER })).status,
    ).toBe(200);
    const other = STRIPE_SANDBOX_CONNECTED_ACCOUNTS[1] as string;
    expect(
      (await t.api('GET', `/v1/checkout/sessions/${direct.id}`, '', { 'stripe-account': other })).status,
    ).toBe(404);
    const unknown = await t.api('GET', '/v1/checkout/sessions', '', { 'stripe-account': 'acct_nope' });
    expect(unknown.status).toBe(403);
    expect(err(unknown.json).code).toBe('account_invalid');
    const destination = await t.session(
      `&payment_intent_data[transfer_data][destination]=${SELLER}&payment_intent_data[application_fee_amount]=100`,
    );
    expect(destination.status).toBe('open');
    const badDestination = await t.api(
      'POST',
      '/v1/checkout/sessions',
      'mode=payment&payment_intent_data[transfer_data][destination]=acct_x',
    );
    expect(badDestination.status).toBe(400);
  });

  it('answers injected 5xx and 429 (with Retry-After) before doing anything', async () => {
    const t = stripeHarness();
    t.sandbox.stripe.faults.apiError = { status: 503, remaining: 1 };
    const down = await t.api('POST', '/v1/checkout/sessions', 'mode=payment', { 'idempotency-key': 'same' });
    expect(down.status).toBe(503);
    expect(err(down.json).type).toBe('api_error');
    t.sandbox.stripe.faults.apiError = { status: 429, remaining: 1, retryAfterSeconds: 3 };
    const limited = await t.api('GET', '/v1/checkout/sessions');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(err(limited.json).code).toBe('rate_limit');
    const session = await t.session('', { 'idempotency-key': 'same' });
    expect(session.object).toBe('checkout.session');
  });
});
