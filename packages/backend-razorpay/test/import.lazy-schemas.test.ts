import { zodBuildersCalledBy } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';

// Cold start (issue 18): importing the backend builds nothing; its schemas are built on first use.
describe('importing @paybridge/backend-razorpay', () => {
  it('builds no zod schema', async () => {
    expect(await zodBuildersCalledBy(() => import('../src/index'))).toEqual([]);
  });

  it('builds the settings schema on the first razorpay() call, which still refuses bad settings at once', async () => {
    const calls = await zodBuildersCalledBy(async () => {
      const { razorpay } = await import('../src/index');
      razorpay({
        keyId: 'rzp_test_Import1',
        keySecret: 'key-secret',
        webhookSecret: 'webhook-secret',
        endpoint: 'http://localhost:4000/razorpay',
      });
    });
    // The settings schema is a strict object: zod/mini builds it with `strictObject` (classic: `object().strict()`).
    expect(calls).toContain('strictObject');
    const { razorpay } = await import('../src/index');
    expect(() =>
      razorpay({
        keyId: 'rzp_test_Import1',
        keySecret: 'key-secret',
        webhookSecret: 'webhook-secret',
        endpoint: 'localhost:4000/razorpay',
      }),
    ).toThrow('Razorpay: endpoint: must be an absolute http(s) URL');
  });
});
