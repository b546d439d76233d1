import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The same projects, run under Bun or Deno by .ci/run (`bun --bun …/vitest.mjs run -c
 * vitest.runtimes.config.ts`, `deno run -A …/vitest.mjs run -c …`). Two differences from Node:
 * zod is inlined (Bun's module interop loses its named `z` export when vitest externalises it), and
 * a setup file fails every file that is not running on the runtime named in PAYBRIDGE_RUNTIME, so a
 * run that silently fell back to Node cannot pass as Bun or Deno.
 */
export default mergeConfig(base, {
  test: {
    server: { deps: { inline: ['zod'] } },
    setupFiles: [fileURLToPath(new URL('./scripts/runtime-probe.ts', import.meta.url))],
  },
});
