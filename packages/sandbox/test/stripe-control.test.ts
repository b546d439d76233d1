import { describe, expect, it } from 'vitest';
import { STRIPE_SANDBOX_SECRET_KEY } from '../src/index';
import { BASE, SHOP, setup } from './support';

const SESSION =
  'mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=1999' +
  '&line_items[0][price_data][product_data][name]=Mug&line_items[0][quantity]=1&success_url=https%3A%2F%2Fshop.test%2Fok';

function stripeApi(
  sandbox: ReturnType<typeof setup>['sandbox'],
  method: string,
  path: string,
  body?: string,
) {
  return sandbox.handler(
    new Request(`${BASE}/stripe/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${STRIPE_SANDBOX_SECRET_KEY}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      ...(body === undefined ? {} : { body }),
    }),
  );
}

describe('Stripe over the control routes, the delivery allow-list and the Origin rule', () => {
  it('pays, refunds by API, disputes and closes over /_control; faults set over HTTP', async () => {
    const { sandbox, control } = setup({
      stripe: { webhooks: [{ url: `${SHOP}/notify/stripe`, secret: 'whsec_ctl' }] },
    });
    const session = (await (await stripeApi(sandbox, 'POST', '/checkout/sessions', SESSION)).json()) as {
      id: string;
    };
    const paid = await control('POST', '/stripe/act', { sessionId: session.id, card: '4242 4242 4242 4242' });
    expect(paid).toMatchObject({
      status: 200,
      json: { step: { method: 'GET', url: 'https://shop.test/ok' } },
    });
    const pi = (await control('GET', `/stripe/objects/${session.id}`)).json.payment_intent as string;
    expect((await control('GET', `/stripe/objects/${pi}`)).json).toMatchObject({ status: 'succeeded' });
    const dispute = await control('POST', '/stripe/dispute', { id: pi, reason: 'fraudulent' });
    expect(dispute.json.dispute).toMatchObject({ status: 'needs_response', amount: 1999 });
    const closed = await control('POST', '/stripe/disputes/close', {
      disputeId: dispute.json.dispute.id,
      outcome: 'won',
    });
    expect(closed.json.dispute.status).toBe('won');
    expect(
      (
        await control('POST', '/stripe/disputes/close', {
          disputeId: dispute.json.dispute.id,
          outcome: 'lost',
        })
      ).status,
    ).toBe(409);
    expect(
      (await control('POST', '/stripe/act', { sessionId: 'cs_test_nope', card: '4242424242424242' })).json,
    ).toMatchObject({
      error: { code: 'CONTROL_UNKNOWN_TARGET' },
    });
    expect(
      (await control('POST', '/stripe/act', { sessionId: session.id, card: '4242', iban: 'DE89' })).status,
    ).toBe(400);

    expect((await control('PUT', '/faults/stripe', { duplicate: 1, signature: 'stale' })).json).toEqual({
      stripe: { duplicate: 1, signature: 'stale' },
    });
    expect(sandbox.stripe.faults).toMatchObject({ duplicate: 1, signature: 'stale' });
    expect((await control('PUT', '/faults/stripe', { signature: 'sha256' })).status).toBe(400);
    expect(
      (
        await control('PUT', '/faults/stripe', {
          apiError: { status: 500, remaining: 1, retryAfterSeconds: 2 },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await control('PUT', '/faults/stripe', {
          apiError: { status: 429, remaining: 1, retryAfterSeconds: 2 },
        })
      ).status,
    ).toBe(200);
    const endpoints = (await control('GET', '/stripe/webhook-endpoints')).json.endpoints;
    expect(endpoints).toEqual([
      {
        id: expect.stringMatching(/^we_/),
        url: `${SHOP}/notify/stripe`,
        connect: false,
        enabledEvents: ['*'],
      },
    ]);
    expect(JSON.stringify(endpoints)).not.toContain('whsec_ctl');
    const index = (await control('GET', '')).json;
    expect(index.credentials.stripe).toMatchObject({ secretKey: STRIPE_SANDBOX_SECRET_KEY });
    expect(index.credentials.stripe.cards).toContainEqual({
      card: '4000000000000002',
      outcome: 'declined (generic_decline)',
    });
  });

  it('endpoints created through the API follow the delivery allow-list; configured ones are the owner’s', async () => {
    const { sandbox } = setup({
      fetch: undefined,
      deliveryAllowList: ['https://shop.test/hooks'],
      stripe: { webhooks: [{ url: 'https://elsewhere.test/stripe', secret: 'whsec_owner' }] },
    });
    const refused = await stripeApi(
      sandbox,
      'POST',
      '/webhook_endpoints',
      'url=http%3A%2F%2F169.254.169.254%2Fx&enabled_events[0]=*',
    );
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'url_invalid', param: 'url' },
    });
    const allowed = await stripeApi(
      sandbox,
      'POST',
      '/webhook_endpoints',
      'url=https%3A%2F%2Fshop.test%2Fhooks%2Fstripe&enabled_events[0]=*',
    );
    expect(allowed.status).toBe(200);
    const session = (await (await stripeApi(sandbox, 'POST', '/checkout/sessions', SESSION)).json()) as {
      id: string;
    };
    await stripeApi(sandbox, 'POST', `/checkout/sessions/${session.id}/expire`, '');
    const deliveries = sandbox.stripe.deliveries();
    expect(deliveries.map((d) => [d.call.url, d.state])).toEqual([
      ['https://elsewhere.test/stripe', 'scheduled'],
      ['https://shop.test/hooks/stripe', 'scheduled'],
    ]);
  });

  it('refuses a cross-site POST on the hosted page', async () => {
    const { sandbox, form } = setup();
    const session = (await (await stripeApi(sandbox, 'POST', '/checkout/sessions', SESSION)).json()) as {
      id: string;
    };
    const crossSite = await form(
      `/stripe/c/pay/${session.id}`,
      { method: 'card', card: '4242424242424242' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    expect(sandbox.stripe.object(session.id)).toMatchObject({ status: 'open' });
  });
});
