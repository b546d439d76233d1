import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, manualClock, type Sandbox } from '../../src/index';
import { STRIPE_SANDBOX_CONNECTED_ACCOUNTS, STRIPE_SANDBOX_SECRET_KEY } from '../../src/stripe/index';

/**
 * The fidelity test of issue 16: the official `stripe` client, configured only with host/port/protocol,
 * talks to the simulator over real HTTP, and verifies its webhooks with `constructEvent`.
 */
const WHSEC = 'whsec_fidelity_platform';
const WHSEC_CONNECT = 'whsec_fidelity_connect';
const SELLER = STRIPE_SANDBOX_CONNECTED_ACCOUNTS[0] as string;

interface Received {
  body: string;
  signature: string | null;
}

let server: Server;
let sandbox: Sandbox;
let origin: string;
let stripe: Stripe;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const method = req.method ?? 'GET';
      sandbox
        .handler(
          new Request(new URL(req.url ?? '/', origin), {
            method,
            headers,
            body: method === 'GET' ? undefined : body,
          }),
        )
        .then(async (response) => {
          res.statusCode = response.status;
          response.headers.forEach((value, name) => {
            res.setHeader(name, value);
          });
          res.end(Buffer.from(await response.arrayBuffer()));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  sandbox = createSandbox({
    baseUrl: `${origin}/`,
    clock: manualClock(Date.now()),
    fetch: async (request) => {
      received.push({ body: await request.text(), signature: request.headers.get('stripe-signature') });
      return new Response('ok');
    },
    stripe: {
      webhooks: [
        { url: 'https://shop.test/notify/stripe', secret: WHSEC },
        { url: 'https://shop.test/notify/stripe-connect', secret: WHSEC_CONNECT, connect: true },
      ],
    },
  });
  stripe = new Stripe(STRIPE_SANDBOX_SECRET_KEY, {
    host: '127.0.0.1',
    port,
    protocol: 'http',
    telemetry: false,
  });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const sessionParams = (
  overrides: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Stripe.Checkout.SessionCreateParams => ({
  mode: 'payment',
  line_items: [
    { price_data: { currency: 'eur', unit_amount: 2500, product_data: { name: 'Mug' } }, quantity: 2 },
  ],
  success_url: 'https://shop.test/ok?session={CHECKOUT_SESSION_ID}',
  cancel_url: 'https://shop.test/cancel',
  client_reference_id: 'order-42',
  metadata: { payment: 'pay_1' },
  payment_intent_data: { capture_method: 'manual', metadata: { payment: 'pay_1' } },
  ...overrides,
});

/** The buyer's browser: loads the hosted page and submits the card form, as a browser would. */
async function payOnPage(url: string, card: string): Promise<Response> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"><input type="hidden" name="method" value="card">/.exec(
    html,
  )?.[1];
  expect(action).toBeDefined();
  return fetch(new URL(action as string, url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({ method: 'card', email: 'buyer@example.com', card }).toString(),
  });
}

describe('the official stripe client against the Stripe simulator', () => {
  it('creates, retrieves, pays, captures partially and refunds partially, idempotently', async () => {
    const created = await stripe.checkout.sessions.create(sessionParams(), {
      idempotencyKey: 'pb:order-42:checkout:v1',
    });
    expect(created).toMatchObject({
      object: 'checkout.session',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 5000,
      currency: 'eur',
      payment_intent: null,
    });
    expect(created.id).toMatch(/^cs_test_/);
    expect(created.url).toBe(`${origin}/stripe/c/pay/${created.id}`);

    const replayed = await stripe.checkout.sessions.create(sessionParams(), {
      idempotencyKey: 'pb:order-42:checkout:v1',
    });
    expect(replayed.id).toBe(created.id);
    expect(replayed.lastResponse.headers['idempotent-replayed']).toBe('true');
    await expect(
      stripe.checkout.sessions.create(sessionParams({ client_reference_id: 'order-43' }), {
        idempotencyKey: 'pb:order-42:checkout:v1',
      }),
    ).rejects.toMatchObject({ type: 'StripeIdempotencyError', statusCode: 400 });

    const retrieved = await stripe.checkout.sessions.retrieve(created.id);
    expect(retrieved).toMatchObject({
      id: created.id,
      client_reference_id: 'order-42',
      metadata: { payment: 'pay_1' },
    });

    const paid = await payOnPage(created.url as string, '4242 4242 4242 4242');
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://shop.test/ok?session=${created.id}`);

    const session = await stripe.checkout.sessions.retrieve(created.id, { expand: ['payment_intent'] });
    expect(session.status).toBe('complete');
    const pi = session.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({
      object: 'payment_intent',
      status: 'requires_capture',
      amount_capturable: 5000,
      metadata: { payment: 'pay_1' },
    });

    const fetched = await stripe.paymentIntents.retrieve(pi.id);
    expect(fetched.status).toBe('requires_capture');
    const captured = await stripe.paymentIntents.capture(
      pi.id,
      { amount_to_capture: 4000 },
      { idempotencyKey: 'pb:pay_1:capture' },
    );
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 4000, amount_capturable: 0 });
    await expect(stripe.paymentIntents.capture(pi.id)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'payment_intent_unexpected_state',
    });

    const refund = await stripe.refunds.create(
      { payment_intent: pi.id, amount: 1500 },
      { idempotencyKey: 'pb:pay_1:refund:1' },
    );
    expect(refund).toMatchObject({
      object: 'refund',
      status: 'succeeded',
      amount: 1500,
      payment_intent: pi.id,
    });
    const again = await stripe.refunds.create(
      { payment_intent: pi.id, amount: 1500 },
      { idempotencyKey: 'pb:pay_1:refund:1' },
    );
    expect(again.id).toBe(refund.id);
    await expect(stripe.refunds.create({ payment_intent: pi.id, amount: 3000 })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'amount_too_large',
    });
    const charge = await stripe.charges.retrieve(captured.latest_charge as string);
    expect(charge).toMatchObject({
      amount: 5000,
      amount_captured: 4000,
      amount_refunded: 1000 + 1500,
      refunded: false,
    });
    const refunds = await stripe.refunds.list({ payment_intent: pi.id });
    expect(refunds.data.map((r) => r.id)).toEqual([refund.id]);
  });

  it('verifies every webhook with stripe.webhooks.constructEvent, and refuses a forged one', async () => {
    await sandbox.flush();
    received.length = 0;
    const created = await stripe.checkout.sessions.create(
      sessionParams({ payment_intent_data: { metadata: { payment: 'pay_2' } } }),
    );
    await payOnPage(created.url as string, '4242424242424242');
    await sandbox.flush();
    const events = received.map((r) => stripe.webhooks.constructEvent(r.body, r.signature as string, WHSEC));
    expect(events.map((e) => e.type)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
    const completed = events[3] as Stripe.CheckoutSessionCompletedEvent;
    expect(completed.data.object).toMatchObject({
      id: created.id,
      payment_status: 'paid',
      client_reference_id: 'order-42',
    });
    expect(completed.account).toBeUndefined();
    const fetched = await stripe.events.retrieve(completed.id);
    expect(fetched.id).toBe(completed.id);

    received.length = 0;
    sandbox.stripe.faults.signature = 'forged';
    await stripe.checkout.sessions.expire((await stripe.checkout.sessions.create(sessionParams())).id);
    await sandbox.flush();
    sandbox.stripe.faults.signature = 'valid';
    expect(received).toHaveLength(1);
    const forged = received[0] as Received;
    expect(() => stripe.webhooks.constructEvent(forged.body, forged.signature as string, WHSEC)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it('keeps direct charges on the connected account named by Stripe-Account, with Connect webhooks', async () => {
    await sandbox.flush();
    received.length = 0;
    const direct = await stripe.checkout.sessions.create(
      sessionParams({ payment_intent_data: { application_fee_amount: 300 } }),
      { stripeAccount: SELLER },
    );
    await expect(stripe.checkout.sessions.retrieve(direct.id)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
    });
    const seen = await stripe.checkout.sessions.retrieve(direct.id, {}, { stripeAccount: SELLER });
    expect(seen.id).toBe(direct.id);
    await expect(
      stripe.checkout.sessions.create(sessionParams(), { stripeAccount: 'acct_unknown' }),
    ).rejects.toMatchObject({ type: 'StripePermissionError', statusCode: 403 });

    await payOnPage(direct.url as string, '4242424242424242');
    await sandbox.flush();
    const events = received.map((r) =>
      stripe.webhooks.constructEvent(r.body, r.signature as string, WHSEC_CONNECT),
    );
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.account === SELLER)).toBe(true);
    const pi = await stripe.paymentIntents.retrieve(
      (await stripe.checkout.sessions.retrieve(direct.id, {}, { stripeAccount: SELLER }))
        .payment_intent as string,
      {},
      { stripeAccount: SELLER },
    );
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: 5000, application_fee_amount: 300 });
  });

  it('maps the simulator errors onto the client error classes and survives injected 5xx/429', async () => {
    await expect(
      stripe.checkout.sessions.create(sessionParams({ success_url: 'not a url' })),
    ).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'url_invalid', param: 'success_url' });
    const wrongKey = new Stripe('sk_test_wrong_key_000000', {
      host: '127.0.0.1',
      port: Number(new URL(origin).port),
      protocol: 'http',
      telemetry: false,
    });
    await expect(wrongKey.checkout.sessions.list()).rejects.toMatchObject({
      type: 'StripeAuthenticationError',
      statusCode: 401,
    });

    sandbox.stripe.faults.apiError = { status: 500, remaining: 1 };
    const retried = await stripe.checkout.sessions.create(sessionParams(), { maxNetworkRetries: 1 });
    expect(retried.status).toBe('open');
    sandbox.stripe.faults.apiError = { status: 429, remaining: 1, retryAfterSeconds: 7 };
    const limited = await stripe.checkout.sessions
      .create(sessionParams(), { maxNetworkRetries: 0 })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect((limited as Stripe.errors.StripeError).headers?.['retry-after']).toBe('7');
  });
});
