import type { Options } from 'tsup';

/**
 * The one build preset every publishable package uses: ESM + CJS with declaration files for both,
 * tree-shakeable, no bundled dependencies, source maps without embedded sources.
 */
export function paybridgePackage(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    // Maps point at the original files and lines, but do not carry the sources: the tarball ships
    // `dist` only, and embedding every source file would double its size.
    sourcemap: true,
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
    clean: true,
    target: 'es2022',
    treeshake: true,
    splitting: false,
    ...overrides,
  };
}
