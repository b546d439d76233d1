import { defineConfig } from 'tsup';
import { paybridgePackage } from '../../tsup.preset';

// The bin shares the ESM build's chunks; the library entry (run, loadBridge) also ships CommonJS.
// `clean` is off in both builds, which run in parallel: the build script empties dist first.
export default defineConfig([
  paybridgePackage(
    { index: 'src/index.ts', cli: 'src/cli.ts' },
    { format: ['esm'], splitting: true, clean: false, dts: { entry: { index: 'src/index.ts' } } },
  ),
  paybridgePackage({ index: 'src/index.ts' }, { format: ['cjs'], clean: false }),
]);
