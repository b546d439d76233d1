import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { STRIPE_SANDBOX_SECRET_KEY } from '../../src/stripe/index';
import { stripeHarness, WHSEC } from '../stripe-harness';

/** The in-process recipe of docs/stripe.md: the official client's fetch HTTP client and SubtleCrypto. */
describe('the official stripe client in-process (fetch HTTP client, SubtleCrypto webhooks)', () => {
  it('creates and expires a session through sandbox.handler, and verifies the webhook asynchronously', async () => {
    const t = stripeHarness();
    const stripe = new Stripe(STRIPE_SANDBOX_SECRET_KEY, {
      host: 'sandbox.test',
      port: 80,
      protocol: 'http',
      telemetry: false,
      httpClient: Stripe.createFetchHttpClient((url, init) => t.sandbox.handler(new Request(url, init))),
    });
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        { price_data: { currency: 'jpy', unit_amount: 1200, product_data: { name: 'Tea' } }, quantity: 1 },
      ],
      success_url: 'https://shop.test/ok',
    });
    expect(session).toMatchObject({
      currency: 'jpy',
      amount_total: 1200,
      url: `http://sandbox.test/stripe/c/pay/${session.id}`,
    });
    const expired = await stripe.checkout.sessions.expire(session.id, {}, { idempotencyKey: 'pb:expire:1' });
    expect(expired.status).toBe('expired');
    await t.sandbox.flush();
    const [webhook] = t.received;
    const provider = Stripe.createSubtleCryptoProvider();
    const event = await stripe.webhooks.constructEventAsync(
      webhook?.body as string,
      webhook?.signature as string,
      WHSEC,
      300,
      provider,
      t.sandbox.clock.now(),
    );
    expect(event).toMatchObject({
      type: 'checkout.session.expired',
      request: { idempotency_key: 'pb:expire:1' },
    });
    await expect(
      stripe.webhooks.constructEventAsync(
        webhook?.body as string,
        webhook?.signature as string,
        WHSEC,
        300,
        provider,
        t.sandbox.clock.now() + 301_000,
      ),
    ).rejects.toThrow(/Timestamp outside the tolerance zone/);
  });
});
