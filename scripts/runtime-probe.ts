// Setup file of vitest.runtimes.config.ts: every test file checks it runs on the runtime CI asked for.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by .ci/run for vitest, never read by a turbo task
const expected = process.env.PAYBRIDGE_RUNTIME;
const versions = process.versions as Record<string, string | undefined>;
const actual = versions.bun
  ? `bun ${versions.bun}`
  : versions.deno
    ? `deno ${versions.deno}`
    : `node ${versions.node}`;
if (!expected) throw new Error('PAYBRIDGE_RUNTIME (bun, deno or node) is not set');
if (!actual.startsWith(`${expected} `))
  throw new Error(`expected to run on ${expected}, running on ${actual}`);
