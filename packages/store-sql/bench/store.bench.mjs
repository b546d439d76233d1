#!/usr/bin/env node
// Facts applied per second by @paybridge/store-sql on SQLite and PostgreSQL.
//
//   pnpm build && node packages/store-sql/bench/store.bench.mjs [--payments 2000] [--concurrency 16]
//
// Each fact is one verified capture going through `store.applyChange` exactly as the notification
// pipeline sends it: claim the broker event id (UNIQUE insert), read, run core's status machine,
// compare-and-set the payment and append its transition, in one transaction. PostgreSQL runs when
// DATABASE_URL is set (a throw-away schema is created and dropped).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const here = new URL('.', import.meta.url);
const dist = new URL('../dist/index.js', here);
if (!existsSync(dist)) {
  console.error('store bench: build first (pnpm build) — packages/store-sql/dist is missing');
  process.exit(1);
}
const { sqliteStore, postgresStore } = await import(dist.href);
const { applyFacts } = await import('@paybridge/core/status-machine');

const { values } = parseArgs({
  options: {
    payments: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
  },
});
const count = Number(values.payments);
const concurrency = Number(values.concurrency);

function makePayment(index) {
  const at = new Date().toISOString();
  return {
    id: `pay_bench_${process.pid}_${index}`,
    orderId: `order-${index}`,
    backend: 'bench',
    amount: 1999,
    currency: 'EUR',
    status: 'new',
    amountAuthorized: 0,
    amountPaid: 0,
    amountRefunded: 0,
    captures: [],
    refunds: [],
    externalId: null,
    description: 'bench',
    buyer: {},
    order: { amount: 1999 },
    recurrence: null,
    parentPaymentId: null,
    subscription: null,
    brokerData: {},
    successUrl: null,
    failureUrl: null,
    testMode: true,
    createdAt: at,
    updatedAt: at,
    expiresAt: null,
    version: 1,
  };
}

function creation(payment) {
  return {
    id: `trn_c_${payment.id}`,
    paymentId: payment.id,
    from: 'new',
    to: 'new',
    cause: 'created',
    eventId: null,
    amountPaid: 0,
    amountRefunded: 0,
    at: payment.createdAt,
    effects: [],
  };
}

let transitionIds = 0;
function captureRequest(payment) {
  const eventId = `bench:${payment.id}`;
  const facts = [
    { type: 'captured', eventId, captureId: payment.id, amount: payment.amount, currency: 'EUR' },
  ];
  return {
    paymentId: payment.id,
    eventIds: [eventId],
    compute(current, fresh) {
      const result = applyFacts(
        current,
        facts.filter((fact) => fresh.has(fact.eventId)),
        { now: new Date().toISOString(), newId: () => `trn_${process.pid}_${++transitionIds}` },
      );
      if (!result.changed) return null;
      return {
        payment: { ...result.payment, version: current.version + 1 },
        transitions: result.transitions,
      };
    },
  };
}

async function inParallel(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}

async function measure(label, store, inFlight) {
  await store.migrate();
  const payments = Array.from({ length: count }, (_, index) => makePayment(`${label}_${inFlight}_${index}`));
  await inParallel(payments, inFlight, (payment) => store.createPayment(payment, creation(payment)));
  const started = performance.now();
  let applied = 0;
  await inParallel(payments, inFlight, async (payment) => {
    const result = await store.applyChange(captureRequest(payment));
    if (result.outcome === 'applied') applied++;
  });
  const seconds = (performance.now() - started) / 1000;
  if (applied !== count) throw new Error(`${label}: only ${applied} of ${count} facts applied`);
  const perSecond = Math.round(applied / seconds);
  console.log(
    `${label.padEnd(10)} in flight ${String(inFlight).padStart(3)}: ${String(perSecond).padStart(6)} facts/s (${applied} facts in ${seconds.toFixed(2)} s)`,
  );
  return perSecond;
}

const results = {};
const root = await mkdtemp(join(tmpdir(), 'paybridge-store-bench-'));
try {
  for (const inFlight of [1, concurrency]) {
    const store = sqliteStore({ filename: join(root, `bench-${inFlight}.db`) });
    try {
      results[`sqlite@${inFlight}`] = await measure('sqlite', store, inFlight);
    } finally {
      await store.close();
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

if (process.env.DATABASE_URL) {
  const { default: pg } = await import('pg');
  const schema = `pb_bench_${process.pid}`;
  try {
    for (const inFlight of [1, concurrency]) {
      const store = postgresStore({
        connectionString: process.env.DATABASE_URL,
        schema,
        poolConfig: { max: Math.max(2, inFlight) },
      });
      try {
        results[`postgres@${inFlight}`] = await measure('postgres', store, inFlight);
      } finally {
        await store.close();
      }
    }
  } finally {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
} else {
  console.log('postgres   skipped: DATABASE_URL not set');
}
if (process.env.BENCH_JSON) console.log(JSON.stringify({ store: results }));
