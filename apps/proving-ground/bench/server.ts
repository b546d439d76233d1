// One benchmark server process: the bridge (PayU + CM-CIC backends) mounted with the Hono adapter on
// @hono/node-server, plus the baseline routes that do the least this work can do on the same database.
//
//   BENCH_DB=sqlite:/path/file.db | postgres:<schema>  BENCH_SEED=<n> BENCH_SEED_FROM=<i>  node --import tsx bench/server.ts
//
// Prints `READY <port>` once listening. Seeds `n` pending PayU payments (externalId BENCH<i>, as after
// PayU's PENDING notification) and as many baseline rows. `GET /bench/counts` tells what the runs did.
import { serve } from '@hono/node-server';
import { paybridgeApp } from '@paybridge/adapter-hono';
import { cmcic } from '@paybridge/backend-cmcic';
import { payu } from '@paybridge/backend-payu';
import { createPaybridge, type Payment, type PaymentStore, silentLogger } from '@paybridge/core';
import { postgresStore, sqliteStore } from '@paybridge/store-sql';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import pg from 'pg';
import { BENCH_POS } from './bench-pos.mjs';

const [engine, target] = (process.env.BENCH_DB ?? 'sqlite::memory:').split(/:(.*)/s) as [string, string];
const seed = Number(process.env.BENCH_SEED ?? 0);
const seedFrom = Number(process.env.BENCH_SEED_FROM ?? 0);
const port = Number(process.env.BENCH_PORT ?? 0);

/** The baseline's own table: one row per payment, updated by primary key. */
interface Baseline {
  /** Whether a row was updated (the route answers 404 otherwise: a miss must not pass for work). */
  update(id: string, body: string): Promise<boolean>;
  insert(id: string, body: string): Promise<void>;
  seed(ids: string[]): Promise<void>;
  /** Rows updated at least once, and rows inserted by the start baseline. */
  counts(): Promise<{ updated: number; inserted: number }>;
}

function sqliteBaseline(filename: string): Baseline {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  // The same durability as the store's connection (store-sql's sqlite-engine.ts), or the baseline would pay more.
  db.pragma('synchronous = NORMAL');
  db.exec(
    'create table if not exists baseline (id text primary key, body text, n integer not null default 0)',
  );
  const update = db.prepare('update baseline set body = ?, n = n + 1 where id = ?');
  const insert = db.prepare('insert into baseline (id, body) values (?, ?)');
  const counts = db.prepare(
    "select count(*) filter (where n > 0) as updated, count(*) filter (where id like 'start_%') as inserted from baseline",
  );
  return {
    update: async (id, body) => update.run(body, id).changes === 1,
    insert: async (id, body) => void insert.run(id, body),
    seed: async (ids) =>
      db.transaction(() => {
        for (const id of ids) insert.run(id, '');
      })(),
    counts: async () => counts.get() as { updated: number; inserted: number },
  };
}

/**
 * Created and awaited before the store exists: the store's migration creates the same schema, and two
 * `create schema if not exists` at once can fail (a unique violation in pg_namespace), which crashed
 * the server before it was ready.
 */
async function postgresBaseline(schema: string): Promise<Baseline> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const table = `"${schema}".baseline`;
  await pool.query(`create schema if not exists "${schema}"`);
  await pool.query(
    `create table if not exists ${table} (id text primary key, body text, n integer not null default 0)`,
  );
  return {
    update: async (id, body) =>
      (await pool.query(`update ${table} set body = $1, n = n + 1 where id = $2`, [body, id])).rowCount === 1,
    insert: async (id, body) =>
      void (await pool.query(`insert into ${table} (id, body) values ($1, $2)`, [id, body])),
    seed: async (ids) => {
      for (let at = 0; at < ids.length; at += 1000) {
        const chunk = ids.slice(at, at + 1000);
        await pool.query(
          `insert into ${table} (id, body) select unnest($1::text[]), '' on conflict do nothing`,
          [chunk],
        );
      }
    },
    counts: async () => {
      const { rows } = await pool.query(
        `select count(*) filter (where n > 0)::int as updated, count(*) filter (where id like 'start_%')::int as inserted from ${table}`,
      );
      return rows[0] as { updated: number; inserted: number };
    },
  };
}

const baseline = engine === 'postgres' ? await postgresBaseline(target) : sqliteBaseline(target);
const store: PaymentStore =
  engine === 'postgres'
    ? postgresStore({
        connectionString: process.env.DATABASE_URL ?? '',
        schema: target,
        poolConfig: { max: 10 },
      })
    : sqliteStore({ filename: target });

function benchPayment(index: number): Payment {
  const at = new Date().toISOString();
  return {
    id: `pay_bench_${index}`,
    orderId: `order-${index}`,
    backend: 'payu',
    amount: 21000,
    currency: 'PLN',
    status: 'pending',
    amountAuthorized: 0,
    amountPaid: 0,
    amountRefunded: 0,
    captures: [],
    refunds: [],
    externalId: `BENCH${index}`,
    description: 'bench',
    buyer: {},
    order: {},
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

if (seed > 0) {
  const indexes = Array.from({ length: seed }, (_, i) => seedFrom + i);
  for (let at = 0; at < indexes.length; at += 64) {
    await Promise.all(
      indexes.slice(at, at + 64).map((index) => {
        const payment = benchPayment(index);
        return store.createPayment(payment, {
          id: `trn_seed_${index}`,
          paymentId: payment.id,
          from: 'new',
          to: 'pending',
          cause: 'pending',
          eventId: `payu:BENCH${index}:PENDING`,
          amountPaid: 0,
          amountRefunded: 0,
          at: payment.createdAt,
          effects: [],
        });
      }),
    );
  }
  await baseline.seed(indexes.map((index) => `pay_bench_${index}`));
  // The seeded PENDING was processed long ago: its events went out then. Left unemitted, the outbox
  // poll would deliver 20,000 stale events in the middle of a measurement.
  for (let at = 0; at < indexes.length; at += 500) {
    await store.markTransitionsEmitted(indexes.slice(at, at + 500).map((index) => `trn_seed_${index}`));
  }
}

const bridge = createPaybridge({
  baseUrl: 'http://127.0.0.1/pay',
  backends: [
    payu({ ...BENCH_POS, currency: 'PLN', endpoint: 'http://127.0.0.1:9/payu', testMode: true }),
    // POST /start measures a real backend that answers without calling its broker: CM-CIC seals a form
    // (HMAC-SHA1) for the browser to post (protocols/cmcic.md §3.5). The kits' documented test TPE.
    cmcic({
      tpe: '1234567',
      key: '12345678901234567890123456789012345678P0',
      company: 'monSite1',
      macScheme: 'current',
      endpoint: 'http://127.0.0.1:9/cmcic/test',
      testMode: true,
    }),
  ],
  store,
  testMode: true,
  logger: silentLogger,
  orders: {
    resolve: (orderId) => ({
      amount: 1999,
      currency: 'EUR',
      description: `Order ${orderId}`,
      buyer: {
        billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
      },
    }),
  },
});

const app = new Hono();
app.route('/pay', paybridgeApp(bridge));
app.post('/baseline/notify/:id', async (c) =>
  (await baseline.update(c.req.param('id'), await c.req.text())) ? c.text('OK') : c.text('no row', 404),
);
let inserted = 0;
app.post('/baseline/start', async (c) => {
  const id = `start_${process.pid}_${++inserted}`;
  await baseline.insert(id, await c.req.text());
  return c.json({ id, redirect: { method: 'GET', url: `http://127.0.0.1/pay/${id}` } });
});
// The server's own CPU time (user + system, µs): the runner reads it around each measurement, so
// the cost of a request is known apart from the load generator and from whatever else the machine runs.
app.get('/bench/cpu', (c) => {
  const { user, system } = process.cpuUsage();
  return c.json({ micros: user + system });
});
app.get('/bench/rss', (c) => {
  // With --expose-gc, collect first: the figure is then what is retained, not garbage not yet collected.
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
  return c.json({ rss, heapTotal, heapUsed, external });
});

/** How many payments of a backend (optionally in a status) the store holds: the runs check their work. */
async function countPayments(backend: string, status?: Payment['status']): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page = await store.listPayments({
      backend,
      ...(status ? { status } : {}),
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}
app.get('/bench/counts', async (c) =>
  c.json({
    payuPaid: await countPayments('payu', 'paid'),
    started: await countPayments('cmcic'),
    baseline: await baseline.counts(),
  }),
);

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`READY ${info.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
