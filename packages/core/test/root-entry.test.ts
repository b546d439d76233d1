import { describe, expect, it } from 'vitest';

declare global {
  interface ImportMeta {
    /** Vite's glob import (vitest runs the tests through Vite): here, every source file's text. */
    glob(pattern: string, options: { query: '?raw'; import: 'default'; eager: true }): Record<string, string>;
  }
}

/** Source texts by URL path (`/src/lib/bytes.ts`). */
const sources = new Map(
  Object.entries(import.meta.glob('../src/**/*.ts', { query: '?raw', import: 'default', eager: true })).map(
    ([path, text]) => [new URL(path, 'file:///test/').pathname, text],
  ),
);

/**
 * Every source file `entry` loads through static imports (not `import type`), and the packages they
 * import; with `onFirstUse`, also core's own modules it loads later through `import('./…')` (the
 * root entry's routes and operations, `lib/lazy.ts`).
 */
function importGraph(
  entry: string,
  { onFirstUse = false } = {},
): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const code = sources.get(file);
    if (code === undefined) throw new Error(`${file} not found`);
    files.add(file);
    // Static imports and re-exports only: a dynamic `import()` is loaded when first called.
    for (const [, kind, specifier] of code.matchAll(
      /^(?:import|export)\s(type\s)?(?:[^;]*?from\s+)?'([^']+)'/gms,
    )) {
      if (!specifier || kind) continue;
      if (specifier.startsWith('.')) visit(new URL(`${specifier}.ts`, `file://${file}`).pathname);
      else packages.add(specifier);
    }
    if (!onFirstUse) return;
    for (const [, specifier] of code.matchAll(/\bimport\('(\.[^']+)'\)/g)) {
      if (specifier) visit(new URL(`${specifier}.ts`, `file://${file}`).pathname);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('what the root entry loads', () => {
  it('bundles no @noble/hashes: its SHA-256 goes through WebCrypto, the kit loads @noble/hashes on first use', () => {
    // What the root loads at import and on first use (its routes and operations): none of it @noble.
    const root = importGraph('/src/index.ts', { onFirstUse: true });
    expect(root.files.size).toBeGreaterThan(30);
    expect([...root.packages].filter((name) => name.startsWith('@noble/'))).toEqual([]);
    expect(root.files.has('/src/lib/hashes.ts')).toBe(false);
    const kit = importGraph('/src/kit.ts');
    expect(kit.files.has('/src/lib/hashes.ts')).toBe(true);
    expect([...kit.packages].filter((name) => name.startsWith('@noble/'))).toEqual([]);
  });
});

describe('what importing the root entry evaluates', () => {
  it('is what creating a bridge needs: routes and operations load on first use', () => {
    const { files } = importGraph('/src/index.ts');
    const onFirstUse = [
      '/src/routes-and-operations.ts',
      '/src/routes/start.ts',
      '/src/routes/notify.ts',
      '/src/routes/return.ts',
      '/src/routes/status.ts',
      '/src/routes/methods.ts',
      '/src/routes/backend-page.ts',
      '/src/start-payment.ts',
      '/src/operations.ts',
      '/src/reconcile.ts',
      '/src/replay.ts',
      '/src/order-view.ts',
      '/src/notification-pipeline.ts',
      '/src/status-machine.ts',
      '/src/lib/button-token.ts',
      '/src/lib/delivery.ts',
      '/src/lib/html.ts',
    ];
    expect(onFirstUse.filter((file) => files.has(file))).toEqual([]);
    expect(files.has('/src/paybridge.ts')).toBe(true);
    expect(files.has('/src/http-handler.ts')).toBe(true);
    const loadable = importGraph('/src/index.ts', { onFirstUse: true }).files;
    expect(onFirstUse.filter((file) => !loadable.has(file))).toEqual([]);
  });
});
