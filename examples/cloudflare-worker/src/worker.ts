import { paybridgeApp } from '@paybridge/adapter-hono';
import { createPaybridge, type Paybridge } from '@paybridge/core';
import { postgresStore } from '@paybridge/store-sql';
import { Hono } from 'hono';
import { getConnInfo } from 'hono/cloudflare-workers';
import pg from 'pg';
import { adminApp } from './admin';
import { type BrokerEnv, backendsFor } from './backends';

/** The worker's bindings (wrangler `vars` and secrets). */
export interface Env extends BrokerEnv {
  /** PostgreSQL, reached through `pg` over Workers' TCP sockets (`nodejs_compat`). */
  DATABASE_URL: string;
  /** PostgreSQL schema holding paybridge's tables. */
  PG_SCHEMA?: string;
  /**
   * The bridge's public URL (`https://shop.example/payments`): the brokers' return and notification
   * URLs are built on it, also outside a request (refunds, the cron); unset, from each request's URL.
   */
  PAYMENTS_BASE_URL?: string;
  /** How long a payment may stay new/pending before the cron expires it, seconds (default 24 h). */
  PAYMENT_TTL_SECONDS?: string;
  /**
   * The cron's reconcile pass asks the broker about open payments (and open refunds) at least this old,
   * seconds (default 900): younger ones probably have their notification on its way.
   */
  RECONCILE_OLDER_THAN_SECONDS?: string;
  /** "true": every broker in test mode (their sandboxes). */
  TEST_MODE?: string;
  /** Bearer token of the back-office routes under /admin (refunds); unset: no such routes. */
  ADMIN_TOKEN?: string;
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
  'book-4': { amount: 2400, currency: 'EUR', description: 'A fourth book' },
  'ksiazka-2': { amount: 3900, currency: 'PLN', description: 'Druga książka' },
};

/** A real shop takes the billing address from its customer record. */
const SHOP_BUYER_ADDRESS = { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' };

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
    ...(env.PAYMENTS_BASE_URL ? { baseUrl: env.PAYMENTS_BASE_URL } : {}),
    ...(env.PAYMENT_TTL_SECONDS ? { paymentTtlSeconds: Number(env.PAYMENT_TTL_SECONDS) } : {}),
    // No timer outlives a request in a Worker: the Cron Trigger below drains the event outbox too.
    outboxPollSeconds: 0,
    backends: backendsFor(env),
    orders: {
      resolve: (orderId) => {
        const order = ORDERS[orderId];
        // CM-CIC's current scheme needs the buyer's billing address (contexte_commande).
        return order ? { ...order, buyer: { billingAddress: SHOP_BUYER_ADDRESS } } : null;
      },
    },
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
      if (env.ADMIN_TOKEN) app.route('/admin', adminApp(bridge, env.ADMIN_TOKEN));
      return await app.fetch(request, env, ctx as never);
    } finally {
      ctx.waitUntil(end());
    }
  },

  /**
   * Cron Trigger: one reconcile pass asks the brokers that can be asked (PayU, Stripe; not CM-CIC,
   * nor PayPal without API credentials) about open payments and open refunds whose notification never
   * came, and applies their answer; then payments left new/pending past their TTL expire (asking the
   * broker first, through the status machine), and events a stopped request left undelivered are
   * delivered. Several invocations at once repeat the work, never its effects.
   */
  async scheduled(_controller: unknown, env: Env): Promise<void> {
    const { bridge, end } = bridgeFor(env);
    try {
      const olderThan = env.RECONCILE_OLDER_THAN_SECONDS ? Number(env.RECONCILE_OLDER_THAN_SECONDS) : 900;
      const reconciled = await bridge.reconcile({ olderThan, limit: 200 });
      if (reconciled.failed.length > 0) console.warn('paybridge cron: pulls failed', reconciled.failed);
      const expired = await bridge.sweepExpired();
      const delivered = await bridge.drainOutbox();
      console.log(
        `paybridge cron: ${reconciled.pulled} pulled, ${reconciled.changed} changed by the broker's answer, ` +
          `${expired} payment(s) expired, ${delivered} event(s) delivered`,
      );
    } finally {
      await end();
    }
  },
};
