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

/** Every source file `entry` loads through static imports (not `import type`), and the packages they import. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
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
  };
  visit(entry);
  return { files, packages };
}

describe('what the root entry loads', () => {
  it('bundles no @noble/hashes: its SHA-256 goes through WebCrypto, the kit loads @noble/hashes on first use', () => {
    const root = importGraph('/src/index.ts');
    expect(root.files.size).toBeGreaterThan(30);
    expect([...root.packages].filter((name) => name.startsWith('@noble/'))).toEqual([]);
    expect(root.files.has('/src/lib/hashes.ts')).toBe(false);
    const kit = importGraph('/src/kit.ts');
    expect(kit.files.has('/src/lib/hashes.ts')).toBe(true);
    expect([...kit.packages].filter((name) => name.startsWith('@noble/'))).toEqual([]);
  });
});
