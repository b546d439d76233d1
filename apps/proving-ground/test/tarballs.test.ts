/**
 * Issue 21, "done when": the first hour of a new user, from the published tarballs only. Every
 * publishable package is packed, installed with npm into an app outside the workspace, typechecked
 * with `skipLibCheck: false` (TypeScript's own lib files aside: `skipDefaultLibCheck`); the app (Hono on Node) and `paybridge-sandbox` run from what npm
 * installed, and each broker (PayU, PayPal, CM-CIC, Stripe with the official `stripe` client from the
 * registry as its peer dependency) takes one purchase and one refund over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { click, open, type Page } from './tarballs/browser';
import { exec, installApp, packAll, publishablePackages, ROOT, writeApp } from './tarballs/install';
import { type Child, freePort, Stop, start, waitFor } from './tarballs/processes';

const work = mkdtempSync(join(tmpdir(), 'paybridge-first-hour-'));
const appDir = join(work, 'shop');
const adminToken = randomUUID();
const stripeWebhookSecret = `whsec_${randomUUID().replaceAll('-', '')}`;
let sandbox: Child | undefined;
let shop: Child | undefined;
let sandboxUrl = '';
let shopUrl = '';

beforeAll(async () => {
  const started = Date.now();
  const lap = (phase: string, from: number, to = Date.now()) =>
    `${phase} ${((to - from) / 1000).toFixed(1)} s`;
  const tarballs = await packAll(publishablePackages(), join(work, 'tarballs'));
  const packed = Date.now();
  writeApp(appDir, tarballs);
  await installApp(appDir);
  const installed = Date.now();
  // Typechecks every declaration file the app loads (skipLibCheck: false), then emits build/server.js.
  await exec(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', appDir], {
    cwd: appDir,
    timeoutMs: 240_000,
  });
  console.log(
    `tarball app: ${tarballs.size} packages; ${lap('pack', started, packed)}, ${lap('npm install', packed, installed)}, ${lap('tsc', installed)}`,
  );
  const [sandboxPort, shopPort] = [await freePort(), await freePort()];
  sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  shopUrl = `http://127.0.0.1:${shopPort}`;
  sandbox = start(
    'paybridge-sandbox',
    process.execPath,
    [
      join(appDir, 'node_modules/.bin/paybridge-sandbox'),
      ...['--port', String(sandboxPort), '--allow-delivery', shopUrl],
      ...['--cmcic-retour', `${shopUrl}/payments/notify/cmcic`],
      // The endpoint a merchant registers in Stripe's Dashboard, with its signing secret.
      ...['--stripe-webhook', `${shopUrl}/payments/notify/stripe`],
      ...['--stripe-webhook-secret', stripeWebhookSecret],
    ],
    { cwd: appDir },
  );
  shop = start('shop', process.execPath, ['build/server.js'], {
    cwd: appDir,
    env: {
      PORT: String(shopPort),
      SANDBOX_URL: sandboxUrl,
      ADMIN_TOKEN: adminToken,
      STRIPE_WEBHOOK_SECRET: stripeWebhookSecret,
    },
  });
  const up = async (url: string) => ((await fetch(url)).ok ? true : undefined);
  await waitFor('the sandbox to listen', () => up(`${sandboxUrl}/_control`), {
    timeoutMs: 30_000,
    describe: () => sandbox?.output() ?? '',
  });
  await waitFor('the shop to listen', () => up(`${shopUrl}/payments/methods?currency=EUR`), {
    timeoutMs: 30_000,
    describe: () => shop?.output() ?? '',
  });
}, 600_000);

afterAll(async () => {
  await Promise.all([sandbox?.stop(), shop?.stop()]);
  rmSync(work, { recursive: true, force: true });
}, 60_000);

interface PaymentView {
  id: string;
  status: string;
  amount: number;
  amountPaid: number;
  amountRefunded: number;
}

async function control(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandboxUrl}/_control${path}`, {
    method,
    ...(method === 'POST'
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }
      : {}),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} /_control${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function admin(method: 'GET' | 'POST', path: string): Promise<{ status: number; json: PaymentView }> {
  const response = await fetch(`${shopUrl}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}` },
  });
  return { status: response.status, json: (await response.json()) as PaymentView };
}

/** The buyer clicks "pay" on the shop: the shop starts the payment and sends the browser to the broker. */
async function checkout(backend: string, orderId: string): Promise<{ paymentId: string; page: Page }> {
  const response = await fetch(`${shopUrl}/payments/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', origin: shopUrl },
    body: JSON.stringify({ backend, orderId }),
  });
  const started = (await response.json()) as {
    payment: { id: string };
    redirect: { method: 'GET' | 'POST'; url: string; fields?: Record<string, string> };
  };
  if (response.status !== 200)
    throw new Error(`start ${backend}: ${response.status} ${JSON.stringify(started)}`);
  const { redirect } = started;
  expect(redirect.url.startsWith(`${sandboxUrl}/`)).toBe(true);
  const page =
    redirect.method === 'GET'
      ? await open(redirect.url)
      : await open(redirect.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: shopUrl },
          body: new URLSearchParams(redirect.fields ?? {}),
        });
  expect(page.status, page.html.slice(0, 2000)).toBe(200);
  return { paymentId: started.payment.id, page };
}

/** Wait (delivering what is due) until the payment has `status`; a payment that fails instead fails the test. */
async function until(paymentId: string, status: string): Promise<PaymentView> {
  return waitFor(
    `payment ${paymentId} to be ${status}`,
    async () => {
      await control('POST', '/deliver');
      const { json: payment } = await admin('GET', `/payments/${paymentId}`);
      if (['failed', 'expired'].includes(payment.status))
        throw new Stop(`payment ${paymentId} is ${payment.status}`);
      return payment.status === status ? payment : undefined;
    },
    {
      timeoutMs: 30_000,
      describe: async () => {
        const payment = await admin('GET', `/payments/${paymentId}`).catch((error) => String(error));
        const deliveries = await control('GET', '/deliveries').catch((error) => String(error));
        return [
          `payment: ${JSON.stringify(payment)}`,
          `deliveries: ${JSON.stringify(deliveries).slice(-4000)}`,
          `sandbox output:\n${sandbox?.output().slice(-3000)}`,
          `shop output:\n${shop?.output().slice(-3000)}`,
        ].join('\n');
      },
    },
  );
}

describe('the published packages, installed from their tarballs into a new app', () => {
  it('PayU: a purchase on the hosted page, then a refund through the API that the sandbox finalizes', {
    timeout: 90_000,
  }, async () => {
    const { paymentId, page } = await checkout('payu', 'payu-1');
    const back = await click(page, { name: 'submit', value: 'pay' });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toContain(`${shopUrl}/payments/return/payu/`);
    expect(await until(paymentId, 'paid')).toMatchObject({ amount: 2100, amountPaid: 2100 });

    const refund = await admin('POST', `/payments/${paymentId}/refund`);
    expect(refund.status, JSON.stringify(refund.json)).toBe(200);
    // PayU keeps a refund PENDING until its back office settles it: the sandbox's control route does.
    expect(await control('POST', '/payu/refunds/finalize')).toMatchObject({ finalized: 1 });
    expect(await until(paymentId, 'refunded')).toMatchObject({ amountPaid: 2100, amountRefunded: 2100 });
  });

  it('PayPal: a purchase on the checkout page, then a back-office refund that arrives as an IPN', {
    timeout: 90_000,
  }, async () => {
    const { paymentId, page } = await checkout('paypal', 'paypal-1');
    const back = await click(page, { name: 'action', value: 'pay' });
    expect(back.status).toBeLessThan(400);
    expect(await until(paymentId, 'paid')).toMatchObject({ amount: 1550, amountPaid: 1550 });

    const { transactions } = (await control('GET', '/paypal/transactions')) as {
      transactions: Array<{ txnId: string; invoice?: string; parentTxnId?: string }>;
    };
    const payment = transactions.find((t) => t.invoice === paymentId && !t.parentTxnId);
    expect(payment, JSON.stringify(transactions)).toBeDefined();
    await control('POST', '/paypal/refund', { txnId: payment?.txnId });
    expect(await until(paymentId, 'refunded')).toMatchObject({ amountPaid: 1550, amountRefunded: 1550 });
  });

  it('CM-CIC: a purchase with the accepted test card, confirmed through the return interface, then a recrédit', {
    timeout: 90_000,
  }, async () => {
    const { paymentId, page } = await checkout('cmcic', 'cmcic-1');
    expect(page.html).toContain('4000000000000002');
    const receipt = await click(
      page,
      { name: 'action', value: 'pay' },
      { card: '4000000000000002', expiry: '12/39', cvv: '123' },
    );
    expect(receipt.status).toBeLessThan(400);
    expect(await until(paymentId, 'paid')).toMatchObject({ amount: 990, amountPaid: 990 });

    // The bank answers the recrédit (recredit_paiement.cgi) at once: no notification to wait for.
    const refund = await admin('POST', `/payments/${paymentId}/refund`);
    expect(refund.status, JSON.stringify(refund.json)).toBe(200);
    expect(await until(paymentId, 'refunded')).toMatchObject({ amountPaid: 990, amountRefunded: 990 });
  });

  it('Stripe: a card payment on the hosted Checkout page, confirmed by signed webhooks, then a refund through the API', {
    timeout: 90_000,
  }, async () => {
    const { paymentId, page } = await checkout('stripe', 'stripe-1');
    expect(page.url).toContain(`${sandboxUrl}/stripe/c/pay/cs_test_`);
    const back = await click(page, { formWith: 'card' }, { card: '4242 4242 4242 4242' });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toContain(`${shopUrl}/payments/return/stripe/`);
    expect(await until(paymentId, 'paid')).toMatchObject({ amount: 1250, amountPaid: 1250 });

    const refund = await admin('POST', `/payments/${paymentId}/refund`);
    expect(refund.status, JSON.stringify(refund.json)).toBe(200);
    expect(await until(paymentId, 'refunded')).toMatchObject({ amountPaid: 1250, amountRefunded: 1250 });
  });

  it('@paybridge/core/testing required from CommonJS without vitest says it needs vitest', {
    timeout: 90_000,
  }, async () => {
    const attempt = exec(process.execPath, ['-e', "require('@paybridge/core/testing')"], {
      cwd: appDir,
      timeoutMs: 30_000,
    });
    await expect(attempt).rejects.toThrow(/@paybridge\/core\/testing needs vitest/);
  });
});
