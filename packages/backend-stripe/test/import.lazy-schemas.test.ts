import { zodBuildersCalledBy } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';

// Cold start (issue 18): importing the backend builds nothing; its schemas are built on first use.
describe('importing @paybridge/backend-stripe', () => {
  it('builds no zod schema', async () => {
    expect(await zodBuildersCalledBy(() => import('../src/index'))).toEqual([]);
  });

  it('builds the settings schema on the first stripe() call, which still refuses bad settings at once', async () => {
    const calls = await zodBuildersCalledBy(async () => {
      const { stripe } = await import('../src/index');
      stripe({
        secretKey: 'sk_test_51UnitTestKeyForPaybridge',
        webhookSecret: 'whsec_test_secret',
        endpoint: 'http://localhost:4000/stripe',
      });
    });
    // The settings schema is a strict object: zod/mini builds it with `strictObject` (classic: `object().strict()`).
    expect(calls).toContain('strictObject');
    const { stripe } = await import('../src/index');
    expect(() =>
      stripe({
        secretKey: 'sk_test_51UnitTestKeyForPaybridge',
        webhookSecret: 'whsec_test_secret',
        endpoint: 'localhost:4000/stripe',
      }),
    ).toThrow('Stripe: endpoint: must be an absolute http(s) URL');
  });
});
