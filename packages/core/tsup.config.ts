import { defineConfig, type Options } from 'tsup';
import { paybridgePackage } from '../../tsup.preset';

const MISSING_VITEST =
  '@paybridge/core/testing needs vitest (>=3): its conformance suites call describe/it/expect. ' +
  'Install it (npm install --save-dev vitest) and import the suites from a vitest test file.';

/**
 * In the CommonJS build, `require('vitest')` goes through a guard: without vitest installed, the
 * error names it and says what to do, instead of Node's bare "Cannot find module" with a require stack.
 */
const vitestGuard: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'paybridge-vitest-guard',
  setup(build) {
    // tsup builds its CommonJS output as ESM and converts it afterwards: the format is in `define`.
    const cjs = build.initialOptions.define?.TSUP_FORMAT === '"cjs"';
    build.onResolve({ filter: /^vitest$/ }, (args) =>
      !cjs || args.namespace === 'vitest-guard'
        ? { path: 'vitest', external: true }
        : { path: 'vitest', namespace: 'vitest-guard' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vitest-guard' }, () => ({
      loader: 'js',
      contents: `try { module.exports = require('vitest'); } catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes("'vitest'"))
    throw new Error(${JSON.stringify(MISSING_VITEST)}, { cause: error });
  throw error;
}`,
    }));
  },
};

export default defineConfig(
  paybridgePackage(
    {
      index: 'src/index.ts',
      kit: 'src/kit.ts',
      dummy: 'src/dummy-backend.ts',
      testing: 'src/testing.ts',
      schema: 'src/schema.ts',
      'status-machine': 'src/status-machine-entry.ts',
    },
    {
      // Resolved (as external) by the guard, not by tsup's own externals.
      // zod is bundled into the `schema` entry alone: only the functions `src/schema.ts` names (see
      // that file); its types still come from the `zod` dependency. Core's other entries import it by
      // the package's own name (`@paybridge/core/schema`, external), as the backends do: one copy
      // at run time, and a file of its own that size measurements can leave out like zod itself.
      noExternal: ['vitest', /^zod(\/|$)/],
      external: ['@paybridge/core/schema'],
      // Shared chunks: one copy of what the entries have in common (one `PaybridgeError` class for
      // `instanceof`, whichever entry threw it), and what is loaded on first use (@noble/hashes behind
      // the kit's `hmac`) in a chunk of its own, imported when first needed.
      splitting: true,
      esbuildPlugins: [vitestGuard],
    },
  ),
);
