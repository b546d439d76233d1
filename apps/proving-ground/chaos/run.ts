// pnpm chaos — 2,000 payments across PayPal, PayU, CM-CIC, Stripe, Przelewy24, Razorpay and Flutterwave through the sandbox with every fault of
// issue 9, the merchant in its own process, SIGKILLed twice mid-run and restarted on the same SQLite file.
//
//   node --import tsx apps/proving-ground/chaos/run.ts [--payments 2000] [--seed 1] [--kills 2]
//
// Prints the checks and the fault counts, writes bench-results/chaos-<time>.json; exits 1 on any failure.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import type { Sandbox } from '@paybridge/sandbox';
import { sqliteStore } from '@paybridge/store-sql';
import { checkChaos, formatReport } from './checks';
import { driveChaos, runFaults } from './harness';
import { ISSUE_RATES } from './in-process';
import { fileJournal } from './journal';
import { seededRandom } from './random';

const app = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  // `pnpm chaos -- --payments 100` passes the `--` through.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    payments: { type: 'string', default: '2000' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    kills: { type: 'string', default: '2' },
  },
});
const payments = Number(values.payments);
/** The core's outbox lease (30 s) plus two of the merchant's outbox polls (5 s each, merchant-app.ts). */
const OUTBOX_SETTLE_MS = 40_000;
const seed = Number(values.seed);
const kills = Number(values.kills);

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const dir = await mkdtemp(join(tmpdir(), 'paybridge-chaos-'));
const database = join(dir, 'merchant.db');
const journalPath = join(dir, 'journal.ndjson');
const shopPort = await freePort();
const sandboxPort = await freePort();
const shopUrl = `http://127.0.0.1:${shopPort}`;
const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;

let merchant: ChildProcess | null = null;
let starts = 0;
let lastStart = 0;
async function startMerchant(): Promise<void> {
  starts++;
  lastStart = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'chaos/merchant-server.ts'], {
    cwd: app,
    env: {
      ...process.env,
      CHAOS_PORT: String(shopPort),
      CHAOS_SEED: String(seed * 10 + starts),
      CHAOS_DB: database,
      CHAOS_JOURNAL: journalPath,
      CHAOS_SANDBOX_URL: sandboxUrl,
      // A restarted merchant keeps the shared wall clock where the run moved it (merchant-app.ts).
      CHAOS_CLOCK_OFFSET_MS: String(
        sandboxHolder.sandbox ? Math.round(sandboxHolder.sandbox.clock.now() - Date.now()) : 0,
      ),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  merchant = child;
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`merchant exited (${code}) before it was ready`)));
  });
}

async function stopMerchant(signal: NodeJS.Signals): Promise<void> {
  const child = merchant;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

const sandboxHolder: { sandbox?: Sandbox } = {};
const sandboxServer = serve({
  fetch: (request) => sandboxHolder.sandbox!.handler(request),
  port: sandboxPort,
  hostname: '127.0.0.1',
});

let killed = 0;
// At least kills + 1 batches, so that every SIGKILL falls in its own batch, spread over the run.
const batchSize = Math.max(1, Math.min(100, Math.floor(payments / (kills + 1))));
const batches = Math.ceil(payments / batchSize);
const killBatches = new Set(
  Array.from({ length: kills }, (_, k) => Math.floor(((k + 1) * batches) / (kills + 1))),
);
let exitCode = 1;
try {
  await startMerchant();
  const started = performance.now();
  const run = await driveChaos({
    payments,
    batchSize,
    random: seededRandom(seed),
    rates: ISSUE_RATES,
    tamperRate: 0.03,
    shopUrl,
    sandboxUrl,
    merchantFetch: (request) => fetch(request),
    onSandbox: (sandbox) => {
      sandboxHolder.sandbox = sandbox;
    },
    // SIGKILL while the brokers' calls are in flight, at even points of the run, then restart.
    duringFlush: async (batch) => {
      if (!killBatches.has(batch)) return;
      await new Promise((resolve) => setTimeout(resolve, 40));
      await stopMerchant('SIGKILL');
      killed++;
      console.error(
        `SIGKILL ${killed}: merchant killed during batch ${batch + 1}; restarting on the same file`,
      );
      await startMerchant();
    },
    log: (line) => console.error(line),
  });
  // Events the killed process committed but never delivered go out once their outbox lease (30 s) has
  // run out, at the restarted merchant's next poll (every 5 s): give it that time before checking.
  const settle = OUTBOX_SETTLE_MS - (performance.now() - lastStart);
  if (killed > 0 && settle > 0) {
    console.error(`waiting ${Math.ceil(settle / 1000)} s for the outbox of the restarted merchant`);
    await new Promise((resolve) => setTimeout(resolve, settle));
  }
  await stopMerchant('SIGTERM');
  const store = sqliteStore({ filename: database });
  const report = await checkChaos({
    store,
    scenarios: run.scenarios,
    records: run.transport.records,
    journal: fileJournal(journalPath).read(),
    transportCounts: run.transport.counts,
    unacknowledged: run.unacknowledged,
    reconcile: run.reconcile,
    extraFaults: {
      ...runFaults(run),
      'SIGKILLs of the merchant (restart on the same SQLite file)': killed,
    },
  });
  await store.close();
  console.log(formatReport(report));
  console.log(`seed ${seed}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const root = join(app, '..', '..', 'bench-results');
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, `chaos-${new Date().toISOString().replaceAll(':', '-')}.json`),
    JSON.stringify({ seed, ...report }, null, 2),
  );
  exitCode = report.ok && killed === kills ? 0 : 1;
} catch (error) {
  console.error(error);
} finally {
  await stopMerchant('SIGKILL');
  sandboxServer.close();
  await rm(dir, { recursive: true, force: true });
}
process.exit(exitCode);
