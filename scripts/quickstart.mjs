#!/usr/bin/env node
// The two Quickstart commands (`npm run demo`, `npm test`) land here. Only Node 20.19+ and git are
// assumed: the pinned pnpm is fetched through npx, then dependencies are installed and packages built.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { packageManager } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`paybridge needs Node.js 20.19 or newer (this is ${process.versions.node}).`);
  process.exit(1);
}

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', COREPACK_ENABLE_STRICT: '0' };

function run(command, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.status !== 0) {
    console.error(`\n✗ ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
  return Date.now() - started;
}

const pnpm = (...args) => run('npx', ['-y', packageManager, ...args]);
const bin = (name) => `${root}node_modules/.bin/${name}`;

const task = process.argv[2];
const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
pnpm('install', '--prefer-offline', ...frozen);
pnpm('exec', 'turbo', 'run', 'build', '--output-logs=errors-only');

if (task === 'test') {
  // Besides vitest's own summary, a plain `N passed, N failed` line that any CI log reader understands.
  const report = `${root}node_modules/.cache/paybridge-vitest.json`;
  const vitest = spawnSync(
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(3)],
    { cwd: root, stdio: 'inherit', env },
  );
  if (existsSync(report)) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(
      readFileSync(report, 'utf8'),
    );
    console.log(
      `\nvitest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped`,
    );
  }
  if (vitest.status !== 0) {
    console.error(`\n✗ vitest failed (exit ${vitest.status ?? vitest.signal}).`);
    process.exit(vitest.status ?? 1);
  }
} else if (task === 'demo') {
  run(process.execPath, ['--import', 'tsx', 'src/server.ts', ...process.argv.slice(3)], {
    cwd: `${root}apps/demo`,
  });
} else {
  console.error('usage: node scripts/quickstart.mjs <test|demo>');
  process.exit(2);
}
