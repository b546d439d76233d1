import { paybridgeApp } from '@paybridge/adapter-hono';
import {
  createPaybridge,
  isPaybridgeError,
  type Paybridge,
  type PaymentStore,
  silentLogger,
} from '@paybridge/core';
import { Hono } from 'hono';
import { chaosBackends, orderFor } from './brokers';
import { FINAL_ATTEMPT_HEADER, injectedFaultsSpared, withoutInjectedFaults } from './faulty-store';
import type { Journal } from './journal';
import type { Random } from './random';

export interface MerchantAppOptions {
  /** Public URL of the shop, e.g. http://127.0.0.1:4100 (the bridge lives under /pay). */
  shopUrl: string;
  sandboxUrl: string;
  store: PaymentStore;
  journal: Journal;
  random: Random;
  /** Share of the merchant's calls to a broker API (pull, capture, refund, IPN postback) answered 503. */
  apiErrorRate: number;
  /** How the merchant reaches the sandbox (global fetch over loopback, or its handler in process). */
  fetch: typeof fetch;
  /**
   * How far the shared wall clock is ahead of this machine's (ms). The chaos run compresses days of
   * broker retries into minutes by moving the sandbox's clock forward; the driver moves the merchant's
   * the same way (POST /ops/clock), so broker and merchant agree on the time as in a real deployment
   * (Stripe's signature tolerance, PayPal's search by date, PayU's token lifetimes).
   */
  clockOffsetMs?: number;
}

const EVENTS = ['payment.accepted', 'payment.declined', 'payment.statusChanged', 'payment.anomaly'] as const;

/**
 * The broker API calls the chaos fails: pull, capture and refund (PayU's order API, PayPal's NVP API,
 * Stripe's objects, Przelewy24's transaction API, Razorpay's links, orders, payments and refunds,
 * Flutterwave's verify calls and refunds) and PayPal's IPN postback. OAuth and the creation of an
 * order, a Checkout Session, a Payment Link or a Flutterwave payment are left alone so that payments
 * can start.
 */
function isFaultableApiCall(method: string, path: string): boolean {
  if (/\/api\/v2_1\/orders\/[^/]+/.test(path)) return true;
  if (path.endsWith('/cgi-bin/webscr')) return method === 'POST';
  if (path.endsWith('/nvp')) return true;
  // Przelewy24: the pull by session id, the verify and the refund (not the register).
  if (/\/przelewy24\/api\/v1\/transaction\/(by\/|verify|refund)/.test(path)) return true;
  // Razorpay: every call but the creation of a link (POST) and the search for one (GET ?reference_id=).
  if (/\/razorpay\/v1\/(payment_links\/|orders\/|payments\/|refunds\/)/.test(path)) return true;
  // Flutterwave: the verify calls (webhook, pull), the refund and the refunds' list and lookup.
  if (/\/flutterwave\/v3\/(transactions\/|refunds)/.test(path)) return true;
  const stripe = /\/stripe\/v1\/(.+)$/.exec(path)?.[1];
  return stripe !== undefined && !(method === 'POST' && stripe === 'checkout/sessions');
}

/**
 * A broker API that fails now and then, as seen from the merchant: the call answers 503 without
 * reaching the broker (isFaultableApiCall says which calls).
 */
function unreliableBrokerFetch(options: MerchantAppOptions): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    const isApi = isFaultableApiCall(request.method, path);
    if (isApi && !injectedFaultsSpared() && options.random.chance(options.apiErrorRate)) {
      options.journal.write({ type: 'fault', fault: 'broker-api', detail: `${request.method} ${path}` });
      return new Response('injected broker API error', {
        status: 503,
        headers: { 'content-type': 'text/plain' },
      });
    }
    return options.fetch(request);
  };
}

/** The merchant: the bridge under /pay plus the back-office operations the chaos driver calls. */
export function createMerchantApp(options: MerchantAppOptions): { app: Hono; bridge: Paybridge } {
  const clock = { offsetMs: options.clockOffsetMs ?? 0 };
  const bridge = createPaybridge({
    now: () => new Date(Date.now() + clock.offsetMs),
    baseUrl: `${options.shopUrl}/pay`,
    backends: chaosBackends(options.sandboxUrl),
    store: options.store,
    testMode: true,
    logger: silentLogger,
    fetch: unreliableBrokerFetch(options),
    outboundTimeoutMs: 5000,
    // Events a SIGKILLed process committed but never delivered are drained once their 30 s lease is
    // over; poll often so that they go out during the run (the CLI waits for this before checking).
    outboxPollSeconds: 5,
    orders: { resolve: (orderId) => orderFor(orderId) },
  });
  for (const event of EVENTS) {
    bridge.on(event, (payload) => {
      const payment = 'payment' in payload ? payload.payment : null;
      const transition = 'transition' in payload ? payload.transition : null;
      options.journal.write({
        type: 'event',
        event,
        paymentId: payment?.id ?? null,
        transitionId: transition?.id ?? null,
      });
    });
  }

  const app = new Hono();
  app.use('/pay/notify/*', (c, next) =>
    c.req.header(FINAL_ATTEMPT_HEADER) ? withoutInjectedFaults(next) : next(),
  );
  app.route('/pay', paybridgeApp(bridge));
  const operation = async (run: () => Promise<unknown>) => {
    try {
      return Response.json({ payment: await run() });
    } catch (error) {
      const status = isPaybridgeError(error) ? error.status : 500;
      const code = isPaybridgeError(error) ? error.code : 'INTERNAL';
      if (process.env.CHAOS_DEBUG && !isPaybridgeError(error)) console.error(error);
      return Response.json({ error: { code, message: String(error) } }, { status });
    }
  };
  app.post('/ops/capture/:id', (c) => operation(() => bridge.capture(c.req.param('id'))));
  // One key per back-office refund: a retry after a lost answer sends the same refund again.
  app.post('/ops/refund/:id', (c) =>
    operation(() => bridge.refund(c.req.param('id'), { idempotencyKey: 'back-office-refund' })),
  );
  app.post('/ops/sync/:id', (c) => operation(() => bridge.sync(c.req.param('id'))));
  // The scheduled reconciliation of issue 15, run once by the driver after the run: the faults that
  // would fail a broker's API (or the store under it) are switched off for it, so that one pass is
  // the whole proof and a pull that fails anyway is a failure of the run.
  app.post('/ops/reconcile', () =>
    withoutInjectedFaults(async () => Response.json(await bridge.reconcile({ olderThan: 0 }))),
  );
  // The shared wall clock moved forward (see `clockOffsetMs`).
  app.post('/ops/clock', async (c) => {
    const { offsetMs } = (await c.req.json()) as { offsetMs: unknown };
    if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs) || offsetMs < clock.offsetMs) {
      return Response.json({ error: 'offsetMs: a number, never moving back' }, { status: 400 });
    }
    clock.offsetMs = offsetMs;
    return Response.json({ offsetMs });
  });
  return { app, bridge };
}
