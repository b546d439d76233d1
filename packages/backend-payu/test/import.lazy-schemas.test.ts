import { zodBuildersCalledBy } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';

// Cold start (issue 18): importing the backend builds nothing; its schemas are built on first use.
describe('importing @paybridge/backend-payu', () => {
  it('builds no zod schema', async () => {
    expect(await zodBuildersCalledBy(() => import('../src/index'))).toEqual([]);
  });

  it('builds the settings schema on the first payu() call, which still refuses bad settings at once', async () => {
    const calls = await zodBuildersCalledBy(async () => {
      const { payu } = await import('../src/index');
      payu({
        posId: '300746',
        clientId: '300746',
        clientSecret: 'client-secret',
        secondKey: 'second-key',
        currency: 'PLN',
        endpoint: 'http://localhost:4000/payu',
      });
    });
    // The settings schema is a strict object (unknown keys refused): zod/mini builds it with `strictObject`.
    expect(calls).toContain('strictObject');
    const { payu } = await import('../src/index');
    expect(() =>
      payu({
        posId: '300746',
        clientId: '300746',
        clientSecret: 'client-secret',
        secondKey: 'second-key',
        currency: 'PLN',
        endpoint: 'localhost:4000/payu',
      }),
    ).toThrow('PayU: endpoint: must be an absolute http(s) URL');
  });
});
