import { defineConfig } from 'tsup';
import { paybridgePackage } from '../../tsup.preset';

// The CLI shares the ESM build's chunks instead of bundling a second copy of the simulators, and ships
// neither a CommonJS build nor declarations (issue 21). `clean` is off in both builds, which run in
// parallel: the build script empties dist first.
export default defineConfig([
  paybridgePackage(
    { index: 'src/index.ts', cli: 'src/cli.ts' },
    { format: ['esm'], splitting: true, clean: false, dts: { entry: { index: 'src/index.ts' } } },
  ),
  paybridgePackage({ index: 'src/index.ts' }, { format: ['cjs'], clean: false }),
]);
