import { describe, expect, it } from 'vitest';
import { zodBuildersCalledBy } from '../src/testing';

describe('the kit’s and the dummy backend’s zod schemas', () => {
  it('are not built when the kit or the dummy entry is imported', async () => {
    expect(await zodBuildersCalledBy(() => import('../src/kit'))).toEqual([]);
    expect(await zodBuildersCalledBy(() => import('../src/dummy-backend'))).toEqual([]);
  });

  it('are built on first use: the dummy’s settings (with the endpoint rule) by its factory', async () => {
    const calls = await zodBuildersCalledBy(async () => {
      const { dummy } = await import('../src/dummy-backend');
      dummy({ endpoint: 'http://localhost:4010/dummy' });
    });
    expect(calls).toContain('object');
    expect(calls).toContain('string');
  });

  it('keeps refusing a bad endpoint when the factory is called', async () => {
    const { dummy } = await import('../src/dummy-backend');
    expect(() => dummy({ endpoint: 'localhost:4010/dummy' })).toThrow(
      'Dummy: endpoint: must be an absolute http(s) URL',
    );
  });
});
