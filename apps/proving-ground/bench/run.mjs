#!/usr/bin/env node
// pnpm bench: notification and start throughput against their baselines (SQLite, then PostgreSQL with
// two servers), package sizes, core's import time, and memory over 100,000 notifications.
//
//   node apps/proving-ground/bench/run.mjs [--runs 3] [--notifications 20000] [--starts 10000] [--memory]
//
// Servers and the load generator (autocannon, 64 connections) are separate processes. Prints a table
// and writes bench-results/bench-<time>.json at the repository root. Needs `pnpm build` for the sizes.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const app = fileURLToPath(new URL('..', import.meta.url));
const root = join(app, '..', '..');
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    runs: { type: 'string', default: '3' },
    notifications: { type: 'string', default: '20000' },
    starts: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '64' },
    memory: { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const notifications = Number(values.notifications);
const starts = Number(values.starts);
const connections = Number(values.connections);

function startServer(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
      cwd: app,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /READY (\d+)/.exec(out);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`bench server exited (${code}) before it was ready`)));
  });
}

async function stopServer(server) {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

function load(spec) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(app, 'bench/load.mjs'), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()))
        : reject(new Error(`load exited ${code}`)),
    );
  });
}

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One pairing of the bridge's route against its bare baseline, on fresh servers sharing one database. */
async function pair({ db, servers, kind, baselineKind, count }) {
  const started = [];
  try {
    started.push(await startServer({ BENCH_DB: db, BENCH_SEED: kind === 'payu' ? String(count) : '0' }));
    for (let i = 1; i < servers; i++) started.push(await startServer({ BENCH_DB: db }));
    const urls = started.map((s) => s.url);
    // Warm-up on payments outside the measured range, then the baseline, then the bridge.
    const base = await load({ kind: baselineKind, urls, connections, from: 0, count });
    const bridge = await load({ kind, urls, connections, from: 0, count });
    if (bridge.non2xx || bridge.errors)
      throw new Error(`${kind}: ${bridge.non2xx} non-2xx, ${bridge.errors} errors`);
    return { bridge, baseline: base };
  } finally {
    await Promise.all(started.map(stopServer));
  }
}

async function repeated(label, make) {
  const samples = [];
  for (let run = 0; run < runs; run++) {
    samples.push(await make(run));
    const last = samples.at(-1);
    console.error(
      `  ${label} run ${run + 1}/${runs}: ${last.bridge.perSecond}/s vs baseline ${last.baseline.perSecond}/s`,
    );
  }
  const pick = (side, key) => median(samples.map((s) => s[side][key]));
  const row = {
    perSecond: pick('bridge', 'perSecond'),
    p50: pick('bridge', 'p50'),
    p99: pick('bridge', 'p99'),
    baselinePerSecond: pick('baseline', 'perSecond'),
    baselineP50: pick('baseline', 'p50'),
    baselineP99: pick('baseline', 'p99'),
    samples,
  };
  row.ratio = Math.round((row.perSecond / row.baselinePerSecond) * 100) / 100;
  return row;
}

async function withSqlite(fn) {
  const dir = await mkdtemp(join(tmpdir(), 'paybridge-bench-'));
  try {
    return await fn(`sqlite:${join(dir, 'bench.db')}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function withPostgres(fn) {
  const { default: pg } = await import('pg');
  const schema = `pb_bench_${process.pid}_${Date.now()}`;
  try {
    return await fn(`postgres:${schema}`);
  } finally {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
}

function sizes() {
  const measure = (entry, external) => {
    if (!existsSync(entry)) return null;
    const result = buildSync({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      external,
      platform: 'neutral',
    });
    const bytes = result.outputFiles[0].contents;
    return { min: bytes.length, minGzip: gzipSync(bytes, { level: 9 }).length };
  };
  return {
    core: measure(join(root, 'packages/core/dist/index.js'), ['zod', 'zod/*']),
    vueButton: measure(join(root, 'packages/vue-button/dist/index.js'), ['vue', '@paybridge/core']),
  };
}

async function importTime() {
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

async function memory() {
  return withSqlite(async (db) => {
    const server = await startServer({ BENCH_DB: db, BENCH_SEED: '100000' });
    try {
      const rss = async () => (await (await fetch(`${server.url}/bench/rss`)).json()).rss;
      await load({ kind: 'payu', urls: [server.url], connections, from: 0, count: 10_000 });
      const after10k = await rss();
      await load({ kind: 'payu', urls: [server.url], connections, from: 10_000, count: 90_000 });
      const after100k = await rss();
      return { after10kMiB: Math.round(after10k / 2 ** 20), after100kMiB: Math.round(after100k / 2 ** 20) };
    } finally {
      await stopServer(server);
    }
  });
}

const { buildSync } = await import('esbuild');
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  nproc: cpus().length,
  node: process.version,
  cpuinfo: readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? null,
};
console.error(`machine: ${machine.nproc} × ${machine.cpuinfo ?? machine.cpu}, Node ${machine.node}`);
const results = {
  machine,
  settings: { runs, notifications, starts, connections },
  at: new Date().toISOString(),
};

results.sqliteNotify = await repeated('notify sqlite', () =>
  withSqlite((db) =>
    pair({ db, servers: 1, kind: 'payu', baselineKind: 'baseline-notify', count: notifications }),
  ),
);
results.sqliteStart = await repeated('start sqlite', () =>
  withSqlite((db) => pair({ db, servers: 1, kind: 'start', baselineKind: 'baseline-start', count: starts })),
);
if (process.env.DATABASE_URL && !values['skip-postgres']) {
  results.postgresNotify = await repeated('notify postgres ×2', () =>
    withPostgres((db) =>
      pair({ db, servers: 2, kind: 'payu', baselineKind: 'baseline-notify', count: notifications }),
    ),
  );
}
results.sizes = sizes();
results.coreImportMs = await importTime();
if (values.memory) results.memory = await memory();

const row = (name, r) =>
  `| ${name.padEnd(34)} | ${String(r.perSecond).padStart(7)} | ${String(r.p50).padStart(4)} / ${String(r.p99).padEnd(4)} | ${String(r.baselinePerSecond).padStart(8)} | ${String(r.baselineP50).padStart(4)} / ${String(r.baselineP99).padEnd(4)} | ${r.ratio.toFixed(2).padStart(5)} |`;
const lines = [
  `paybridge bench — ${machine.nproc} × ${machine.cpuinfo ?? machine.cpu}, Node ${machine.node}, ${connections} connections, median of ${runs}`,
  '| measure                            |   req/s | p50 / p99 ms | baseline |  p50 / p99 ms | ratio |',
  '|------------------------------------|---------|--------------|----------|---------------|-------|',
  row('PayU notifications, SQLite', results.sqliteNotify),
  ...(results.postgresNotify ? [row('PayU notifications, Postgres ×2', results.postgresNotify)] : []),
  row('POST /start (dummy), SQLite', results.sqliteStart),
  '',
  `core min+gzip (zod excluded): ${results.sizes.core ? `${results.sizes.core.minGzip} B (min ${results.sizes.core.min} B)` : 'not built'}`,
  `vue-button min+gzip (Vue, core excluded): ${results.sizes.vueButton ? `${results.sizes.vueButton.minGzip} B (min ${results.sizes.vueButton.min} B)` : 'not built'}`,
  `core import time (median of 9): ${results.coreImportMs} ms`,
  results.memory
    ? `RSS after 10k notifications: ${results.memory.after10kMiB} MiB; after 100k: ${results.memory.after100kMiB} MiB`
    : 'memory: run with --memory',
];
console.log(lines.join('\n'));
mkdirSync(join(root, 'bench-results'), { recursive: true });
const file = join(root, 'bench-results', `bench-${results.at.replaceAll(':', '-')}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`written ${file}`);
