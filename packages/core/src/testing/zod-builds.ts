import { vi } from 'vitest';

/** `target` whose function properties (zod's builders: `object`, `string`, …) record their name in `calls`. */
function recording<T extends object>(target: T, calls: string[]): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver);
      // Classes (`ZodObject`, …) stay themselves: `instanceof` and static members keep working.
      // `config` (zod's messages, set once by core/schema) builds no schema.
      if (typeof value !== 'function' || /^[A-Z$]/.test(String(key)) || key === 'config') return value;
      return (...args: unknown[]) => {
        calls.push(String(key));
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

/**
 * The zod builders (`z.object`, `z.string`, …, imported from `@paybridge/core/schema`, which re-exports
 * them from `zod/mini`) called while `load` runs, with every module loaded afresh: `[]` when importing
 * what `load` imports builds no schema (cold start, issue 18). Watches `zod/mini`, as run from sources
 * (the built core bundles it). Call the factory in a
 * second `load` to prove the watch sees the schemas a package builds on first use.
 */
export async function zodBuildersCalledBy(load: () => Promise<unknown>): Promise<string[]> {
  const calls: string[] = [];
  vi.resetModules();
  vi.doMock('zod/mini', async (importOriginal) => {
    const actual = await importOriginal<typeof import('zod/mini')>();
    return { ...recording(actual, calls), z: recording(actual.z, calls) };
  });
  try {
    await load();
  } finally {
    vi.doUnmock('zod/mini');
    vi.resetModules();
  }
  return calls;
}
