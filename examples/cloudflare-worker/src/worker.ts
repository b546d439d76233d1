import { paybridgeApp } from '@paybridge/adapter-hono';
import { cmcic } from '@paybridge/backend-cmcic';
import { paypal } from '@paybridge/backend-paypal';
import { PAYU_CURRENCIES, payu } from '@paybridge/backend-payu';
import { createPaybridge, type Paybridge } from '@paybridge/core';
import { postgresStore } from '@paybridge/store-sql';
import { Hono } from 'hono';
import { getConnInfo } from 'hono/cloudflare-workers';
import pg from 'pg';

/** The worker's bindings (wrangler `vars` and secrets). */
export interface Env {
  /** PostgreSQL, reached through `pg` over Workers' TCP sockets (`nodejs_compat`). */
  DATABASE_URL: string;
  /** PostgreSQL schema holding paybridge's tables. */
  PG_SCHEMA?: string;
  PAYPAL_BUSINESS: string;
  PAYPAL_ENDPOINT?: string;
  /** PayU (optional): a POS takes one currency. */
  PAYU_POS_ID?: string;
  PAYU_CLIENT_SECRET?: string;
  PAYU_SECOND_KEY?: string;
  PAYU_CURRENCY?: string;
  PAYU_ENDPOINT?: string;
  CMCIC_TPE: string;
  CMCIC_KEY: string;
  CMCIC_COMPANY: string;
  CMCIC_ENDPOINT?: string;
  /** How long a payment may stay new/pending before the cron expires it, seconds (default 24 h). */
  PAYMENT_TTL_SECONDS?: string;
  /** "true": every broker in test mode (their sandboxes). */
  TEST_MODE?: string;
}

interface Ctx {
  waitUntil(promise: Promise<unknown>): void;
}

/** The demo catalogue: a real shop resolves order ids against its own database. */
const ORDERS: Record<string, { amount: number; currency: string; description: string }> = {
  'book-1': { amount: 1250, currency: 'EUR', description: 'A book' },
  'book-2': { amount: 1990, currency: 'EUR', description: 'Another book' },
  'ksiazka-1': { amount: 4900, currency: 'PLN', description: 'Książka' },
  'book-3': { amount: 1250, currency: 'EUR', description: 'A third book' },
};

function payuBackend(env: Env) {
  if (!env.PAYU_POS_ID || !env.PAYU_CLIENT_SECRET || !env.PAYU_SECOND_KEY) return [];
  const currency = PAYU_CURRENCIES.find((code) => code === env.PAYU_CURRENCY);
  if (!currency) throw new Error(`PAYU_CURRENCY must be one of ${PAYU_CURRENCIES.join(', ')}`);
  return [
    payu({
      posId: env.PAYU_POS_ID,
      clientId: env.PAYU_POS_ID,
      clientSecret: env.PAYU_CLIENT_SECRET,
      secondKey: env.PAYU_SECOND_KEY,
      currency,
      ...(env.PAYU_ENDPOINT ? { endpoint: env.PAYU_ENDPOINT } : {}),
    }),
  ];
}

/**
 * One bridge per request: a Worker may not use a TCP connection that another request opened, so the
 * pool (one connection) lives and ends with the request. Migrations run before the first query and
 * are one read once applied. (Behind Cloudflare Hyperdrive, DATABASE_URL is its local endpoint and
 * the connection comes from a warm pool.)
 */
function bridgeFor(env: Env): { bridge: Paybridge; end: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 1 });
  const store = postgresStore({ pool, ...(env.PG_SCHEMA ? { schema: env.PG_SCHEMA } : {}) });
  const bridge = createPaybridge({
    testMode: env.TEST_MODE === 'true',
    store,
    ...(env.PAYMENT_TTL_SECONDS ? { paymentTtlSeconds: Number(env.PAYMENT_TTL_SECONDS) } : {}),
    // No timer outlives a request in a Worker: the Cron Trigger below drains the event outbox too.
    outboxPollSeconds: 0,
    backends: [
      paypal({
        business: env.PAYPAL_BUSINESS,
        ...(env.PAYPAL_ENDPOINT ? { endpoint: env.PAYPAL_ENDPOINT } : {}),
      }),
      ...payuBackend(env),
      cmcic({
        tpe: env.CMCIC_TPE,
        key: env.CMCIC_KEY,
        company: env.CMCIC_COMPANY,
        ...(env.CMCIC_ENDPOINT ? { endpoint: env.CMCIC_ENDPOINT } : {}),
      }),
    ],
    orders: { resolve: (orderId) => ORDERS[orderId] ?? null },
  });
  // The bridge drains its outbox once at start-up: let that finish (one connection, queries in
  // order), then release the connection. Events a cut-off request leaves behind stay leased in the
  // outbox and the cron delivers them.
  const end = async () => {
    await bridge.drainOutbox().catch(() => 0);
    bridge.close();
    await store.close();
    await pool.end();
  };
  return { bridge, end };
}

export default {
  async fetch(request: Request, env: Env, ctx: Ctx): Promise<Response> {
    const { bridge, end } = bridgeFor(env);
    try {
      const app = new Hono<{ Bindings: Env }>();
      app.get('/', (c) => c.text('paybridge on Cloudflare Workers'));
      app.route('/payments', paybridgeApp(bridge, { getConnInfo }));
      return await app.fetch(request, env, ctx as never);
    } finally {
      ctx.waitUntil(end());
    }
  },

  /**
   * Cron Trigger: payments left new/pending past their TTL expire (through the status machine), and
   * events a stopped request left undelivered are delivered.
   */
  async scheduled(_controller: unknown, env: Env): Promise<void> {
    const { bridge, end } = bridgeFor(env);
    try {
      const expired = await bridge.sweepExpired();
      const delivered = await bridge.drainOutbox();
      console.log(`paybridge cron: ${expired} payment(s) expired, ${delivered} event(s) delivered`);
    } finally {
      await end();
    }
  },
};
