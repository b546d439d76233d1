import type { Options } from 'tsup';

/**
 * The one build preset every publishable package uses: ESM + CJS with declaration files for both,
 * tree-shakeable, no bundled dependencies.
 */
export function paybridgePackage(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    treeshake: true,
    splitting: false,
    ...overrides,
  };
}
