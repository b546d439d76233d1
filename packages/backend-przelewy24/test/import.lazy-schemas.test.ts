import { zodBuildersCalledBy } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';

// Cold start (issue 18): importing the backend builds nothing; its schemas are built on first use.
describe('importing @paybridge/backend-przelewy24', () => {
  it('builds no zod schema', async () => {
    expect(await zodBuildersCalledBy(() => import('../src/index'))).toEqual([]);
  });

  it('builds the settings schema on the first przelewy24() call, which still refuses bad settings at once', async () => {
    const calls = await zodBuildersCalledBy(async () => {
      const { przelewy24 } = await import('../src/index');
      przelewy24({
        merchantId: 100200,
        crc: 'a1b2c3d4e5f60718',
        apiKey: 'report-key',
        endpoint: 'http://localhost:4000/p24',
      });
    });
    // The settings schema is a strict object (unknown keys refused): zod/mini builds it with `strictObject`.
    expect(calls).toContain('strictObject');
    const { przelewy24 } = await import('../src/index');
    expect(() =>
      przelewy24({
        merchantId: 100200,
        crc: 'a1b2c3d4e5f60718',
        apiKey: 'report-key',
        endpoint: 'localhost:4000/p24',
      }),
    ).toThrow('Przelewy24: endpoint: must be an absolute http(s) URL');
  });
});
