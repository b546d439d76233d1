import { describe, expect, it, vi } from 'vitest';

/** Every call of a `z.*` builder while this file runs. */
const built = vi.hoisted(() => [] as string[]);

// Core's schemas come from `@paybridge/core/schema`, which re-exports zod/mini's builders.
vi.mock('zod/mini', async (importOriginal) => {
  const actual = await importOriginal<typeof import('zod/mini')>();
  const z = new Proxy(actual.z, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      // `config` sets zod's messages (core/schema, once): not a schema.
      if (typeof value !== 'function' || key === 'config') return value;
      return (...args: unknown[]) => {
        built.push(String(key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { ...z };
});

describe('the root entry’s zod schemas', () => {
  it('are not built when the root is imported, only on first use', async () => {
    const core = await import('../src/index');
    expect(typeof core.createPaybridge).toBe('function');
    expect(built).toEqual([]);

    const { readStartBody } = await import('../src/routes/start');
    const request = new Request('https://shop.example/payments/start', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ backend: 'dummy', orderId: 'o-1' }),
    });
    expect(await readStartBody(request, 1024)).toEqual({ backend: 'dummy', orderId: 'o-1' });
    expect(built).toContain('object');
  });
});
