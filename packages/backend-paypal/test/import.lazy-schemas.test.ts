import { zodBuildersCalledBy } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';

// Cold start (issue 18): importing the backend builds nothing; its schemas are built on first use.
describe('importing @paybridge/backend-paypal', () => {
  it('builds no zod schema', async () => {
    expect(await zodBuildersCalledBy(() => import('../src/index'))).toEqual([]);
  });

  it('builds the settings schema on the first paypal() call, which still refuses bad settings at once', async () => {
    const calls = await zodBuildersCalledBy(async () => {
      const { paypal } = await import('../src/index');
      paypal({ business: 'merchant@example.com', endpoint: 'http://localhost:4000/paypal' });
    });
    expect(calls).toContain('object');
    const { paypal } = await import('../src/index');
    expect(() => paypal({ business: 'merchant@example.com', endpoint: 'localhost:4000/paypal' })).toThrow(
      'PayPal: endpoint: must be an absolute http(s) URL',
    );
  });
});
