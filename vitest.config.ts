import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import workspace packages from source, so `vitest run` needs no prior build.
const alias = readdirSync(`${root}packages`)
  .filter((dir) => existsSync(`${root}packages/${dir}/src/index.ts`))
  .flatMap((dir) => [
    { find: `@paybridge/${dir}/testing`, replacement: `${root}packages/${dir}/src/testing.ts` },
    // core's subpath entries besides the testing kit (`@paybridge/core/kit`, `/dummy`, `/schema`, `/status-machine`).
    { find: `@paybridge/${dir}/kit`, replacement: `${root}packages/${dir}/src/kit.ts` },
    { find: `@paybridge/${dir}/schema`, replacement: `${root}packages/${dir}/src/schema.ts` },
    {
      find: `@paybridge/${dir}/status-machine`,
      replacement: `${root}packages/${dir}/src/status-machine-entry.ts`,
    },
    { find: `@paybridge/${dir}/dummy`, replacement: `${root}packages/${dir}/src/dummy-backend.ts` },
    { find: new RegExp(`^@paybridge/${dir}$`), replacement: `${root}packages/${dir}/src/index.ts` },
  ]);

// Per-project settings that differ from the defaults (DOM environment for the Vue button).
const overrides: Record<string, { environment?: string; testTimeout?: number }> = {
  'vue-button': { environment: 'happy-dom' },
  demo: { testTimeout: 120_000 },
  'cloudflare-worker': { testTimeout: 60_000 },
};

const projectDirs = ['packages', 'apps', 'examples'].flatMap((group) =>
  readdirSync(`${root}${group}`)
    .filter((dir) => existsSync(`${root}${group}/${dir}/package.json`))
    .map((dir) => ({ group, dir })),
);

export default defineConfig({
  resolve: { alias },
  test: {
    projects: projectDirs.map(({ group, dir }) => ({
      extends: true,
      test: {
        name: dir,
        root: `${root}${group}/${dir}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 20_000,
        ...overrides[dir],
      },
    })),
  },
});
