#!/usr/bin/env node
// `pnpm bench`: build, then run every benchmark (never part of the test suite). Each prints a table
// and writes JSON under bench-results/. PostgreSQL sections run when DATABASE_URL is set.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { packageManager } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
mkdirSync(`${root}bench-results`, { recursive: true });

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('npx', ['-y', packageManager, 'exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);

const benches = [
  ['store-sql: facts applied per second', `${root}packages/store-sql/bench/store.bench.mjs`, []],
  ['proving ground: HTTP throughput, sizes, memory', `${root}apps/proving-ground/bench/run.mjs`, []],
  [
    'cold start and size: core + a backend against hono, worker bundles',
    `${root}scripts/bench/cold-start.mjs`,
    [],
  ],
];
for (const [title, file, args] of benches) {
  if (!existsSync(file)) continue;
  console.log(`\n=== ${title} ===`);
  run(process.execPath, [file, ...args], { env: { ...env, BENCH_JSON_DIR: `${root}bench-results` } });
}
