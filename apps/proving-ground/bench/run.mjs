#!/usr/bin/env node
// pnpm bench: notification and start throughput against their baselines (SQLite, then PostgreSQL with
// two servers), package sizes, core's import time, and memory over 100,000 notifications.
//
//   node apps/proving-ground/bench/run.mjs [--runs 3] [--notifications 20000] [--starts 10000]
//     [--memory-notifications 100000] [--skip-memory] [--skip-postgres]
//
// Servers and the load generator (autocannon, 64 connections) are separate processes. Every run checks
// that the work was really done (each payment paid, each baseline row updated, each start stored).
// Each row also gives the server's own CPU time per request on both sides and their ratio: on a busy
// machine throughput moves with whatever else runs, CPU time per request far less.
// Prints a table and writes bench-results/bench-<time>.json at the repository root. Needs `pnpm build`
// for the sizes.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importTime, median, sizes } from './sizes.mjs';

const app = fileURLToPath(new URL('..', import.meta.url));
const root = join(app, '..', '..');
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    runs: { type: 'string', default: '3' },
    notifications: { type: 'string', default: '20000' },
    starts: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '64' },
    'memory-notifications': { type: 'string', default: '100000' },
    'skip-memory': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const notifications = Number(values.notifications);
const starts = Number(values.starts);
const connections = Number(values.connections);
const memoryNotifications = Number(values['memory-notifications']);
// Requests sent before each measurement (on payments outside the measured range) so that both sides
// are compiled by the JIT before they are timed.
const warmup = (count) => Math.min(2000, Math.max(connections, Math.ceil(count / 10)));

function startServer(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/server.ts'], {
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

async function counts(server) {
  return (await fetch(`${server.url}/bench/counts`)).json();
}

function clean(kind, result) {
  if (result.non2xx || result.errors)
    throw new Error(`${kind}: ${result.non2xx} non-2xx answers, ${result.errors} errors or timeouts`);
  return result;
}

/**
 * One pairing of the bridge's route against its bare baseline, on fresh servers sharing one database.
 * `bridgeFirst` alternates the order between runs so that neither side always meets a fresher file.
 */
async function pair({ db, servers, kind, baselineKind, count, bridgeFirst }) {
  const warm = warmup(count);
  const started = [];
  try {
    const seed = kind === 'payu' ? String(count + warm) : '0';
    started.push(await startServer({ BENCH_DB: db, BENCH_SEED: seed }));
    for (let i = 1; i < servers; i++) started.push(await startServer({ BENCH_DB: db }));
    const urls = started.map((s) => s.url);
    const cpu = async () => {
      let micros = 0;
      for (const url of urls) micros += (await (await fetch(`${url}/bench/cpu`)).json()).micros;
      return micros;
    };
    const measure = async (which) => {
      await load({ kind: which, urls, connections, from: count, count: warm }).then((r) => clean(which, r));
      const before = await cpu();
      const result = clean(which, await load({ kind: which, urls, connections, from: 0, count }));
      // Server CPU per request: far steadier than req/s on a busy machine (the load generator and
      // other processes take turns on the same cores, which moves throughput but not this).
      return { ...result, cpuMicros: Math.round(((await cpu()) - before) / result.requests) };
    };
    const bridge = bridgeFirst ? await measure(kind) : null;
    const baseline = await measure(baselineKind);
    const bridgeResult = bridge ?? (await measure(kind));
    // The answers were 2xx; now prove the work behind them was done, every request once.
    const done = await counts(started[0]);
    const sent = Math.floor(count / servers) * servers + Math.floor(warm / servers) * servers;
    const expected =
      kind === 'payu'
        ? { bridge: done.payuPaid, baseline: done.baseline.updated }
        : { bridge: done.started, baseline: done.baseline.inserted };
    if (expected.bridge !== sent || expected.baseline !== sent) {
      throw new Error(
        `${kind}: ${sent} requests per side, but the bridge did ${expected.bridge} and the baseline ${expected.baseline}`,
      );
    }
    return { bridge: bridgeResult, baseline };
  } finally {
    await Promise.all(started.map(stopServer));
  }
}

async function repeated(label, make) {
  const samples = [];
  for (let run = 0; run < runs; run++) {
    samples.push(await make(run % 2 === 1));
    const last = samples.at(-1);
    console.error(
      `  ${label} run ${run + 1}/${runs}: ${last.bridge.perSecond}/s vs baseline ${last.baseline.perSecond}/s; server CPU ${last.bridge.cpuMicros} vs ${last.baseline.cpuMicros} µs/request`,
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
    cpuMicros: pick('bridge', 'cpuMicros'),
    baselineCpuMicros: pick('baseline', 'cpuMicros'),
    samples,
  };
  // The ratio of each run (bridge and baseline measured back to back on the same file), then the median.
  row.ratio = Math.round(median(samples.map((s) => s.bridge.perSecond / s.baseline.perSecond)) * 100) / 100;
  // The same ratio from server CPU time (baseline's µs per request ÷ the bridge's): what the bridge's
  // own work costs, with the machine's other load taken out.
  row.cpuRatio =
    Math.round(median(samples.map((s) => s.baseline.cpuMicros / s.bridge.cpuMicros)) * 100) / 100;
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

/** RSS (and heap after a full GC) after the first tenth of the notifications and after all of them. */
async function memory() {
  const first = Math.round(memoryNotifications / 10);
  return withSqlite(async (db) => {
    const server = await startServer({ BENCH_DB: db, BENCH_SEED: String(memoryNotifications) });
    try {
      // heapUsed is after a full GC (what is retained); heapTotal is what V8 keeps committed, which
      // follows the allocation rate rather than what is retained, and moves RSS with it.
      const sample = async () => {
        const { rss, heapTotal, heapUsed, external } = await (await fetch(`${server.url}/bench/rss`)).json();
        const mib = (bytes) => Math.round(bytes / 2 ** 20);
        return {
          rssMiB: mib(rss),
          heapTotalMiB: mib(heapTotal),
          heapMiB: mib(heapUsed),
          externalMiB: mib(external),
        };
      };
      const send = (from, count) =>
        load({ kind: 'payu', urls: [server.url], connections, from, count }).then((r) => clean('memory', r));
      await send(0, first);
      const early = await sample();
      await send(first, memoryNotifications - first);
      const late = await sample();
      const paid = (await counts(server)).payuPaid;
      if (paid !== memoryNotifications)
        throw new Error(`memory: ${paid} of ${memoryNotifications} payments paid`);
      return { notifications: memoryNotifications, first, afterFirst: early, afterAll: late };
    } finally {
      await stopServer(server);
    }
  });
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  nproc: cpus().length,
  node: process.version,
  cpuinfo: readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? null,
};
console.error(`machine: ${machine.nproc} × ${machine.cpuinfo ?? machine.cpu}, Node ${machine.node}`);
const results = {
  machine,
  settings: { runs, notifications, starts, connections, memoryNotifications },
  at: new Date().toISOString(),
};

results.sqliteNotify = await repeated('notify sqlite', (bridgeFirst) =>
  withSqlite((db) =>
    pair({
      db,
      servers: 1,
      kind: 'payu',
      baselineKind: 'baseline-notify',
      count: notifications,
      bridgeFirst,
    }),
  ),
);
results.sqliteStart = await repeated('start sqlite', (bridgeFirst) =>
  withSqlite((db) =>
    pair({ db, servers: 1, kind: 'start', baselineKind: 'baseline-start', count: starts, bridgeFirst }),
  ),
);
if (process.env.DATABASE_URL && !values['skip-postgres']) {
  results.postgresNotify = await repeated('notify postgres ×2', (bridgeFirst) =>
    withPostgres((db) =>
      pair({
        db,
        servers: 2,
        kind: 'payu',
        baselineKind: 'baseline-notify',
        count: notifications,
        bridgeFirst,
      }),
    ),
  );
}
results.sizes = sizes(root);
results.coreImportMs = await importTime(root);
if (!values['skip-memory']) results.memory = await memory();

const row = (name, r) =>
  `| ${name.padEnd(34)} | ${String(r.perSecond).padStart(7)} | ${String(r.p50).padStart(4)} / ${String(r.p99).padEnd(4)} | ${String(r.baselinePerSecond).padStart(8)} | ${String(r.baselineP50).padStart(4)} / ${String(r.baselineP99).padEnd(4)} | ${r.ratio.toFixed(2).padStart(5)} | ${String(r.cpuMicros).padStart(6)} / ${String(r.baselineCpuMicros).padEnd(6)} | ${r.cpuRatio.toFixed(2).padStart(9)} |`;
const lines = [
  `paybridge bench — ${machine.nproc} × ${machine.cpuinfo ?? machine.cpu}, Node ${machine.node}, ${connections} connections, median of ${runs}`,
  '| measure                            |   req/s | p50 / p99 ms | baseline |  p50 / p99 ms | ratio | CPU µs/req, base | CPU ratio |',
  '|------------------------------------|---------|--------------|----------|---------------|-------|------------------|-----------|',
  row('PayU notifications, SQLite', results.sqliteNotify),
  ...(results.postgresNotify ? [row('PayU notifications, Postgres ×2', results.postgresNotify)] : []),
  row('POST /start (CM-CIC), SQLite', results.sqliteStart),
  '',
  `core min+gzip (zod excluded): ${results.sizes.core ? `${results.sizes.core.minGzip} B (min ${results.sizes.core.min} B)` : 'not built'}`,
  `vue-button min+gzip (Vue, core excluded): ${results.sizes.vueButton ? `${results.sizes.vueButton.minGzip} B (min ${results.sizes.vueButton.min} B)` : 'not built'}`,
  `store-sql min+gzip (core and drivers excluded): ${results.sizes.storeSql ? `${results.sizes.storeSql.minGzip} B with kysely, ${results.sizes.storeSqlOwn.minGzip} B without (min ${results.sizes.storeSqlOwn.min} B)` : 'not built'}`,
  `core import time (median of 9): ${results.coreImportMs} ms`,
  results.memory
    ? `RSS after ${results.memory.first} notifications: ${results.memory.afterFirst.rssMiB} MiB (heap ${results.memory.afterFirst.heapMiB} of ${results.memory.afterFirst.heapTotalMiB} MiB, external ${results.memory.afterFirst.externalMiB} MiB); after ${results.memory.notifications}: ${results.memory.afterAll.rssMiB} MiB (heap ${results.memory.afterAll.heapMiB} of ${results.memory.afterAll.heapTotalMiB} MiB, external ${results.memory.afterAll.externalMiB} MiB); growth ${results.memory.afterAll.rssMiB - results.memory.afterFirst.rssMiB} MiB RSS, ${results.memory.afterAll.heapMiB - results.memory.afterFirst.heapMiB} MiB heap`
    : 'memory: skipped (--skip-memory)',
];
console.log(lines.join('\n'));
mkdirSync(join(root, 'bench-results'), { recursive: true });
const file = join(root, 'bench-results', `bench-${results.at.replaceAll(':', '-')}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`written ${file}`);
