import { describe, expect, it, vi } from 'vitest';

// Cold start (issue 18): the stripe SDK costs more CPU to import than core with its zod/mini schemas, so
// it is imported on the first call that needs a client, never when the backend is imported or made.

/**
 * How many times `stripe` was evaluated while `load` ran, every module loaded afresh. The mock hands
 * the real module over, so the code under `load` runs as usual. (vi.doMock resolves a bare name from
 * the file that calls it, so this lives here, beside the package that has `stripe` installed.)
 */
async function stripeLoadsDuring(load: () => Promise<unknown>): Promise<number> {
  let loads = 0;
  vi.resetModules();
  vi.doMock('stripe', async (importOriginal) => {
    loads += 1;
    return importOriginal();
  });
  try {
    await load();
  } finally {
    vi.doUnmock('stripe');
    vi.resetModules();
  }
  return loads;
}

const CALL = { kind: 'create-checkout-session', paymentId: 'pay_abc123' };

describe('importing @paybridge/backend-stripe', () => {
  it('does not load the stripe SDK, nor does making the backend or verifying webhooks', async () => {
    expect(await stripeLoadsDuring(() => import('../src/index'))).toBe(0);
    const loaded = await stripeLoadsDuring(async () => {
      const { stripeEvent, stripeSignature } = await import('./support/fake-stripe');
      const { bridgeWithFake } = await import('./support/harness');
      const t = bridgeWithFake();
      const body = stripeEvent('customer.created', { id: 'cus_1', object: 'customer' });
      expect((await t.deliver(body)).status).toBe(200);
      expect((await t.deliver(body, stripeSignature(body, 'whsec_attacker'))).status).toBe(400);
    });
    expect(loaded).toBe(0);
  });

  it('loads it on the first call that needs a client', async () => {
    const loaded = await stripeLoadsDuring(async () => {
      const { bridgeWithFake } = await import('./support/harness');
      const t = bridgeWithFake();
      const { paymentId } = await t.start();
      await t.start();
      expect((await t.get(paymentId)).status).toBe('new');
    });
    expect(loaded).toBe(1);
  });

  it('uses a client the merchant gives as it is, without ever loading the SDK', async () => {
    const created: unknown[] = [];
    const client = {
      paymentIntents: {},
      checkout: {
        sessions: {
          create: async (params: unknown) => {
            created.push(params);
            return { id: 'cs_test_merchant', url: 'https://checkout.stripe.test/c/pay/cs_test_merchant' };
          },
        },
      },
    };
    const loaded = await stripeLoadsDuring(async () => {
      const { bridgeWithFake } = await import('./support/harness');
      const { sessionId } = await bridgeWithFake({ client: client as never }).start();
      expect(sessionId).toBe('cs_test_merchant');
    });
    expect(loaded).toBe(0);
    expect(created).toHaveLength(1);
  });

  it('turns a failed load into INVALID_CONFIG, and tries again on the next call', async () => {
    vi.resetModules();
    vi.doMock('stripe', () => {
      throw new Error("Cannot find package 'stripe'");
    });
    try {
      const { stripeClient, callStripe } = await import('../src/lib/client');
      const { fakeContext, SETTINGS } = await import('./support/harness');
      const { fakeStripe } = await import('./support/fake-stripe');
      const { stripeSettingsSchema } = await import('../src/lib/settings');
      const settings = stripeSettingsSchema().parse(SETTINGS);
      const ctx = fakeContext(fakeStripe());
      const failed = await callStripe('create the Checkout Session', () =>
        stripeClient(settings, ctx, CALL),
      ).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failed).toMatchObject({
        name: 'PaybridgeError',
        code: 'INVALID_CONFIG',
        details: { package: 'stripe' },
      });
      expect((failed as Error).message).toMatch(/^Stripe: the stripe package .* could not be loaded: /);
      vi.doUnmock('stripe');
      const client = await stripeClient(settings, ctx, CALL);
      expect(typeof client.checkout.sessions.create).toBe('function');
    } finally {
      vi.doUnmock('stripe');
      vi.resetModules();
    }
  });
});
