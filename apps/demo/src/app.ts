import { paybridgeApp } from '@paybridge/adapter-hono';
import {
  consoleLogger,
  createPaybridge,
  type Logger,
  type OrderInfo,
  type OrderView,
  type PaymentStore,
  type Redirect,
} from '@paybridge/core';
import type { Sandbox } from '@paybridge/sandbox';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { adminRoutes } from './admin';
import { type AdminAccess, adminAccessFromEnv, adminGuard } from './admin-access';
import {
  createBackends,
  createLocalSandbox,
  DEMO_BILLING_ADDRESS,
  type Env,
  LOCAL_PAYU_POS_IDS,
  realBrokers,
  skippableClock,
} from './brokers';
import { buyerIdOf } from './buyer-session';
import { catalog, findProduct, newOrderId, productOfOrder } from './catalog';
import { guardShop, MAX_BODY_BYTES } from './guards';
import { generateLocalKeys, type LocalKeys } from './local-keys';
import { autoSubmitPage, errorPage } from './pages/layout';
import { orderPage, orderSummary, type SubscriptionView } from './pages/order';
import { shopPage } from './pages/shop';
import { serveAssets } from './static-assets';
import { wallet } from './wallet-backend';
import { memoryLedger } from './wallet-ledger';

export interface DemoOptions {
  /** Absolute URL the browser uses to reach the demo, without a trailing slash. */
  publicUrl: string;
  store: PaymentStore;
  /** Broker credentials and PAYBRIDGE_SECRET (default: process.env). */
  env?: Env;
  /** How often the sandbox makes its due server-to-server calls, ms; `false` only on request (tests). */
  deliveryIntervalMs?: number | false;
  logger?: Logger;
  /** The local sandbox's keys (server.ts keeps them in the data folder); fresh random ones when absent. */
  localKeys?: LocalKeys;
  /** Who may use /admin; default from DEMO_ADMIN_PASSWORD / DEMO_ADMIN_OPEN, else the admin is locked. */
  admin?: AdminAccess | null;
}

/** The demo's buyer (there are no accounts); each browser is told apart by its buyer id (`customerId`). */
export const DEMO_BUYER = {
  email: 'buyer@example.com',
  firstName: 'Alex',
  lastName: 'Demo',
  language: 'en',
  // CM-CIC's current scheme requires the billing address (contexte_commande, issue 15).
  billingAddress: DEMO_BILLING_ADDRESS,
};

/** Store credit every demo buyer starts with. */
const OPENING_CREDIT: Record<string, number> = { EUR: 1000 };

export function createDemo(options: DemoOptions) {
  const env = options.env ?? process.env;
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const bridgeUrl = `${publicUrl}/payments`;
  const app = new Hono();
  const clock = skippableClock();
  const keys = options.localKeys ?? generateLocalKeys(LOCAL_PAYU_POS_IDS);
  const logger = options.logger ?? consoleLogger('warn');
  /** Whose store credit: the browser's buyer id (never missing behind `buyerSession`). */
  const accountOf = (request: Request | null) => buyerIdOf(request) ?? DEMO_BUYER.email;

  // One process, one port: the sandbox's calls to the shop and the shop's calls to the sandbox stay
  // in process when they target this server; anything else (real brokers) goes over the network.
  const toShop = async (request: Request) =>
    request.url.startsWith(`${publicUrl}/`) ? app.fetch(request) : fetch(request);
  const sandbox: Sandbox = createLocalSandbox(publicUrl, clock, toShop, keys);
  const bridgeFetch: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${publicUrl}/sandbox/`)) return fetch(request);
    // Like a real socket: the caller's timeout abandons the call.
    const signal = request.signal;
    return new Promise<Response>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      sandbox.handler(request).then(resolve, reject);
    });
  };

  const ledger = memoryLedger((currency) => OPENING_CREDIT[currency] ?? 0);
  /** Split payments in progress: which broker takes the rest once the store credit is spent. */
  const splitPlans = new Map<string, string>();

  const brokers = createBackends(env, publicUrl, keys);
  const bridge = createPaybridge({
    baseUrl: bridgeUrl,
    backends: [...brokers, wallet({ ledger, currencies: ['EUR'], buyerOf: buyerIdOf })],
    store: options.store,
    testMode: true,
    secret: env.PAYBRIDGE_SECRET ?? keys.buttonSecret,
    maxBodyBytes: MAX_BODY_BYTES,
    fetch: bridgeFetch,
    now: () => new Date(clock.now()),
    logger,
    orders: {
      async resolve(orderId, ctx): Promise<OrderInfo | null> {
        // Paying the rest of an order the buyer started with a button: same option, same price.
        const earlier = await options.store.listPayments({ orderId, limit: 1 });
        const found = productOfOrder(orderId, earlier.items[0]?.order.option);
        if (!found) return null;
        const orderUrl = `${publicUrl}/orders/${orderId}`;
        return {
          amount: found.option.amount,
          currency: found.option.currency,
          description: found.option.description,
          buyer: { ...DEMO_BUYER, ...withBuyerId(ctx.request) },
          successUrl: splitPlans.has(orderId) ? `${orderUrl}/next` : orderUrl,
          failureUrl: orderUrl,
          ...(found.option.recurrence ? { recurrence: found.option.recurrence } : {}),
          snapshot: {
            option: found.option.id,
            ...(found.option.customFields ? { customFields: found.option.customFields } : {}),
            ...(found.product.split ? { split: true } : {}),
          },
        };
      },
    },
  });

  const startOrder = async (orderId: string, backend: string, request: Request, amount?: number) => {
    const { redirect } = await bridge.startPayment({
      backend,
      orderId,
      request,
      ...(amount === undefined ? {} : { amount }),
    });
    return redirectResponse(redirect);
  };

  guardShop(app, publicUrl, logger);

  app.route('/payments', paybridgeApp(bridge));
  app.all('/sandbox/*', (c) => sandbox.handler(c.req.raw));
  app.get('/assets/*', (c) => serveAssets(c.req.path));

  app.get('/', async (c) => {
    const buttons = await Promise.all(
      catalog.map(async (product) => {
        const config = {
          reference: newOrderId(product),
          orderDate: new Date(clock.now()).toISOString().slice(0, 10),
          email: DEMO_BUYER.email,
          language: DEMO_BUYER.language,
          options: product.options,
          // Store credit is offered through the split form, not as a broker of its own.
          paymentOptions: { backends: brokerIds() },
        };
        const orderUrl = `${publicUrl}/orders/${config.reference}`;
        // No backUrl: the button would show a link back to the shop on the shop's own page.
        const signed = { ...config, acceptedUrl: orderUrl, declinedUrl: orderUrl };
        // What the backends' currencies and capabilities allow for the default option (the button asks
        // the same question of /payments/methods in the browser).
        const first = product.options[0] as (typeof product.options)[number];
        const offered = brokersFor(first.currency, first.amount, Boolean(first.recurrence));
        return { product, offered, button: { token: await bridge.signButton(signed), config: signed } };
      }),
    );
    const balance = await ledger.balance(accountOf(c.req.raw), 'EUR');
    const split = catalog.find((p) => p.split)?.options[0];
    const splitBrokers = split ? brokersFor(split.currency, Math.max(split.amount - balance, 1), false) : [];
    return c.html(shopPage({ buttons, balance, splitBrokers, real: realBrokers(env) }));
  });

  // Split payment: store credit first (as much as the balance allows), then the rest through a broker.
  app.post('/split', async (c) => {
    const form = await c.req.parseBody();
    const product = findProduct(String(form.product ?? ''));
    const broker = String(form.backend ?? '');
    if (!product?.split) return c.html(errorPage('Unknown product'), 400);
    const option = product.options[0] as (typeof product.options)[number];
    const credit = Math.min(await ledger.balance(accountOf(c.req.raw), option.currency), option.amount);
    // Checked before the store credit is spent: a broker that cannot take the rest would strand the order.
    const rest = Math.max(option.amount - credit, 1);
    if (!brokersFor(option.currency, rest, false).some((b) => b.id === broker)) {
      return c.html(errorPage(`No broker "${broker}" can take the rest of this order`), 400);
    }
    const orderId = newOrderId(product);
    splitPlans.set(orderId, broker);
    if (credit <= 0) return startOrder(orderId, broker, c.req.raw);
    return startOrder(orderId, 'wallet', c.req.raw, credit);
  });

  // Where the store credit page returns: on to the broker for what is left, else to the order.
  app.get('/orders/:id/next', async (c) => {
    const orderId = c.req.param('id');
    const view = await bridge.getOrder(orderId);
    const broker = splitPlans.get(orderId);
    if (broker && view.status === 'partially_paid' && (view.outstanding ?? 0) > 0) {
      splitPlans.delete(orderId);
      return startOrder(orderId, broker, c.req.raw);
    }
    const payment = c.req.query('payment');
    return c.redirect(`/orders/${encodeURIComponent(orderId)}${payment ? `?payment=${payment}` : ''}`, 303);
  });

  app.post('/orders/:id/pay-rest', async (c) => {
    const form = await c.req.parseBody();
    return startOrder(c.req.param('id'), String(form.backend ?? ''), c.req.raw);
  });

  app.get('/orders/:id/summary', async (c) => {
    const view = await bridge.getOrder(c.req.param('id'));
    return c.html(
      orderSummary(view, restBrokers(view.currency, view.outstanding), await subscriptionOf(view), nameOf),
    );
  });

  app.get('/orders/:id', async (c) => {
    const view = await bridge.getOrder(c.req.param('id'));
    if (view.payments.length === 0) return c.html(errorPage('No such order'), 404);
    const paymentId = c.req.query('payment') ?? view.payments[0]?.id;
    return c.html(
      orderPage(
        view,
        paymentId ?? null,
        restBrokers(view.currency, view.outstanding),
        await subscriptionOf(view),
        nameOf,
      ),
    );
  });

  // A password (HTTP basic auth, user "admin"), or opened explicitly for local use; locked otherwise.
  const guard = adminGuard(options.admin === undefined ? adminAccessFromEnv(env) : options.admin);
  app.use('/admin', guard);
  app.use('/admin/*', guard);
  app.route('/admin', adminRoutes({ bridge, sandbox, clock, ledger, publicUrl, accountOf }));

  app.onError((error, c) => {
    // Hono's own refusals (basic auth's 401 with its WWW-Authenticate challenge) go out as they are.
    if (error instanceof HTTPException) return error.getResponse();
    const code = (error as { code?: string }).code ?? 'INTERNAL';
    const status = (error as { status?: number }).status ?? 500;
    bridge.logger.warn('demo request failed', { path: c.req.path, code });
    return c.html(
      errorPage(`${code}: ${error.message}`),
      status >= 400 && status < 600 ? (status as 400) : 500,
    );
  });

  async function subscriptionOf(view: OrderView): Promise<SubscriptionView | null> {
    const parent = view.payments.find((p) => p.recurrence);
    if (!parent) return null;
    const all = await bridge.store.listPayments({ orderId: view.orderId, limit: 500 });
    const paidPeriods = all.items.filter((p) => p.parentPaymentId === parent.id && p.amountPaid > 0).length;
    const status = parent.subscription?.status ?? (paidPeriods > 0 ? 'active' : 'waiting');
    return { status, paidPeriods };
  }
  function nameOf(id: string) {
    try {
      return bridge.backend(id).displayName;
    } catch {
      return id;
    }
  }
  function brokerIds() {
    return brokers.map((b) => b.id);
  }
  /** The brokers (not the store credit) whose currencies, limits and capabilities fit a purchase. */
  function brokersFor(currency: string, amount?: number, recurring = false) {
    const ids = brokerIds();
    return bridge
      .availableBackends({ currency, ...(amount === undefined ? {} : { amount }), recurring })
      .available.filter((b) => ids.includes(b.id));
  }
  function restBrokers(currency: string | null, outstanding: number | null = null) {
    return currency ? brokersFor(currency, outstanding && outstanding > 0 ? outstanding : undefined) : [];
  }

  if (options.deliveryIntervalMs !== false) sandbox.start(options.deliveryIntervalMs ?? 1000);
  return { app, bridge, sandbox, clock, ledger, close: () => sandbox.stop() };
}

function redirectResponse(redirect: Redirect): Response {
  if (redirect.method === 'GET')
    return new Response(null, { status: 303, headers: { location: redirect.url } });
  return new Response(autoSubmitPage(redirect.url, redirect.fields), {
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}

/** The browser's buyer id as the payment's `customerId` (none for calls without a browser). */
function withBuyerId(request: Request | null): { customerId?: string } {
  const id = buyerIdOf(request);
  return id ? { customerId: id } : {};
}
