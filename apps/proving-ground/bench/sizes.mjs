// Package sizes (min+gzip, bundled with esbuild, peers external) and core's import time.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

export const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const storeSqlPeers = ['@paybridge/core', 'better-sqlite3', 'pg'];

export function sizes(root) {
  const measure = (entry, external, platform = 'neutral') => {
    if (!existsSync(entry)) return null;
    const result = buildSync({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      external,
      platform,
      // core's chunks are side-effect free: esbuild's notes about dropping unused imports are noise here.
      logLevel: 'error',
    });
    const bytes = result.outputFiles[0].contents;
    return { min: bytes.length, minGzip: gzipSync(bytes, { level: 9 }).length };
  };
  return {
    core: measure(join(root, 'packages/core/dist/index.js'), ['zod', 'zod/*']),
    vueButton: measure(join(root, 'packages/vue-button/dist/index.js'), ['vue', '@paybridge/core']),
    // A Node package: its drivers and core are peers, kysely (its one dependency) bundled as an app
    // would; `storeSqlOwn` leaves kysely out too, so it is the package's own code alone.
    storeSql: measure(join(root, 'packages/store-sql/dist/index.js'), storeSqlPeers, 'node'),
    storeSqlOwn: measure(
      join(root, 'packages/store-sql/dist/index.js'),
      [...storeSqlPeers, 'kysely'],
      'node',
    ),
  };
}

export async function importTime(root) {
  const samples = [];
  for (let i = 0; i < 9; i++) {
    const ms = await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          "const t = performance.now(); await import('@paybridge/core'); console.log(performance.now() - t);",
        ],
        { cwd: join(root, 'packages/store-sql'), stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
      });
      child.on('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error('import failed'))));
    });
    samples.push(ms);
  }
  return Math.round(median(samples) * 10) / 10;
}
