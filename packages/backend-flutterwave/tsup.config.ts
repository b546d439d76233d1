import { defineConfig } from 'tsup';
import { paybridgePackage } from '../../tsup.preset';

export default defineConfig(paybridgePackage({ index: 'src/index.ts' }));
