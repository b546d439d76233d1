import { zodBuildersCalledBy } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';

// Cold start (issue 18): importing the backend builds nothing; its schemas are built on first use.
describe('importing @paybridge/backend-cmcic', () => {
  it('builds no zod schema', async () => {
    expect(await zodBuildersCalledBy(() => import('../src/index'))).toEqual([]);
  });

  it('builds the settings schema on the first cmcic() call, which still refuses bad settings at once', async () => {
    const calls = await zodBuildersCalledBy(async () => {
      const { cmcic } = await import('../src/index');
      cmcic({
        tpe: '1234567',
        key: '12345678901234567890123456789012345678P0',
        company: 'monSite1',
        endpoint: 'http://localhost:4000/cmcic',
      });
    });
    expect(calls).toContain('object');
    const { cmcic } = await import('../src/index');
    expect(() =>
      cmcic({
        tpe: '1234567',
        key: '12345678901234567890123456789012345678P0',
        company: 'monSite1',
        endpoint: 'localhost:4000/cmcic',
      }),
    ).toThrow('CM-CIC Paiement / Monetico: endpoint: must be an absolute http(s) URL');
  });
});
