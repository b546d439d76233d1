import { zodBuildersCalledBy } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';

// Cold start (issue 18): importing the backend builds nothing; its schemas are built on first use.
describe('importing @paybridge/backend-flutterwave', () => {
  it('builds no zod schema', async () => {
    expect(await zodBuildersCalledBy(() => import('../src/index'))).toEqual([]);
  });

  it('builds the settings schema on the first flutterwave() call, which still refuses bad settings at once', async () => {
    const calls = await zodBuildersCalledBy(async () => {
      const { flutterwave } = await import('../src/index');
      flutterwave({
        secretKey: 'FLWSECK_TEST-0123456789abcdef-X',
        secretHash: 'a-long-random-secret-hash',
        endpoint: 'http://localhost:4000/flutterwave/v3',
      });
    });
    // The settings schema is a strict object: zod/mini names its builder `strictObject` (was `object().strict()`).
    expect(calls).toContain('strictObject');
    const { flutterwave } = await import('../src/index');
    expect(() =>
      flutterwave({
        secretKey: 'FLWSECK_TEST-0123456789abcdef-X',
        secretHash: 'a-long-random-secret-hash',
        endpoint: 'localhost:4000/flutterwave/v3',
      }),
    ).toThrow('Flutterwave: endpoint: must be an absolute http(s) URL');
  });
});
