import { createSandbox, DEFAULT_CMCIC_TPES, STRIPE_SANDBOX_SECRET_KEY } from '@paybridge/sandbox';
import { Miniflare } from 'miniflare';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorker } from './bundle';

// The worker, bundled as for deployment, runs in workerd (Miniflare): its outbound fetches go to
// the sandbox in this process, the sandbox's notifications come back through the worker's fetch.
const SHOP = 'http://shop.test';
const SANDBOX = 'http://sandbox.test';
const TPE = DEFAULT_CMCIC_TPES[0] as (typeof DEFAULT_CMCIC_TPES)[number];
const DATABASE_URL = process.env.DATABASE_URL;
const SCHEMA = `worker_${process.pid}_${Date.now()}`;
const STRIPE_WEBHOOK_SECRET = 'whsec_worker_example_endpoint';
const ADMIN_TOKEN = 'admin-token-of-the-worker-test';

// CI always has PostgreSQL (.ci/run starts it): there, a missing DATABASE_URL is a failure, not a skip.
if (!DATABASE_URL && process.env.CI) throw new Error('DATABASE_URL is required in CI for the worker tests');
if (!DATABASE_URL) console.warn('cloudflare-worker: not run, DATABASE_URL is not set (PostgreSQL)');

let mf: Miniflare;
const sandbox = createSandbox({
  baseUrl: SANDBOX,
  fetch: async (request) => {
    const body = request.method === 'GET' ? undefined : await request.arrayBuffer();
    return (await mf.dispatchFetch(request.url, {
      method: request.method,
      headers: request.headers as never,
      ...(body ? { body } : {}),
    })) as unknown as Response;
  },
  // The webhook endpoint a merchant creates in Stripe's Dashboard for the worker.
  stripe: { webhooks: [{ url: `${SHOP}/payments/notify/stripe`, secret: STRIPE_WEBHOOK_SECRET }] },
});
sandbox.cmcic.addTpe({ ...TPE, retourUrl: `${SHOP}/payments/notify/cmcic` });
// The sandbox's first PayU test POS (PayU's published public one).
const POS = sandbox.credentials().payu.pos[0] as ReturnType<
  typeof sandbox.credentials
>['payu']['pos'][number];

async function shop(path: string, init?: RequestInit): Promise<Response> {
  return (await mf.dispatchFetch(`${SHOP}${path}`, init as never)) as unknown as Response;
}

async function start(backend: string, orderId: string, headers: Record<string, string> = {}) {
  const response = await shop('/payments/start', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ backend, orderId }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    payment: { id: string };
    redirect: { url: string; method: string; fields: Record<string, string> };
  };
}

async function status(paymentId: string) {
  const response = await shop(`/payments/status/${paymentId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { status: string }).status;
}

/** The customer's browser posting the auto-submitted form to the broker's page: its session id. */
async function openPage(redirect: { url: string; fields: Record<string, string> }) {
  const page = await sandbox.handler(
    new Request(redirect.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(redirect.fields).toString(),
    }),
  );
  expect(page.status).toBe(200);
  return page.headers.get('x-sandbox-session') as string;
}

describe.skipIf(!DATABASE_URL)('the example worker in workerd, PostgreSQL through pg', () => {
  beforeAll(async () => {
    mf = new Miniflare({
      modules: [{ type: 'ESModule', path: 'worker.mjs', contents: await bundleWorker() }],
      compatibilityDate: '2026-07-01',
      compatibilityFlags: ['nodejs_compat'],
      bindings: {
        DATABASE_URL: DATABASE_URL as string,
        PG_SCHEMA: SCHEMA,
        PAYMENTS_BASE_URL: `${SHOP}/payments`,
        TEST_MODE: 'true',
        PAYMENT_TTL_SECONDS: '2',
        RECONCILE_OLDER_THAN_SECONDS: '0',
        PAYPAL_BUSINESS: 'merchant@example.com',
        PAYPAL_ENDPOINT: `${SANDBOX}/paypal`,
        PAYU_POS_ID: POS.posId,
        PAYU_CLIENT_SECRET: POS.clientSecret,
        PAYU_SECOND_KEY: POS.secondKey,
        PAYU_CURRENCY: POS.currency as string,
        PAYU_ENDPOINT: `${SANDBOX}/payu`,
        CMCIC_TPE: TPE.tpe,
        CMCIC_KEY: TPE.key,
        CMCIC_COMPANY: TPE.societe,
        CMCIC_ENDPOINT: `${SANDBOX}/cmcic/test`,
        STRIPE_SECRET_KEY: STRIPE_SANDBOX_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET,
        STRIPE_ENDPOINT: `${SANDBOX}/stripe`,
        ADMIN_TOKEN,
      },
      outboundService: (request: unknown) => sandbox.handler(request as Request) as never,
    });
    await mf.ready;
  }, 120_000);

  afterAll(async () => {
    await mf?.dispose();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists "${SCHEMA}" cascade`);
    await client.end();
  });

  it('serves the home page', async () => {
    expect(await (await shop('/')).text()).toBe('paybridge on Cloudflare Workers');
  });

  it('pays with CM-CIC through the sandbox; the notification is verified', async () => {
    const { payment, redirect } = await start('cmcic', 'book-1');
    const session = await openPage(redirect);
    await sandbox.cmcic.act(session, 'pay', { card: '4000000000000002', cvv: '123' });
    await sandbox.flush();
    expect(await status(payment.id)).toBe('paid');
  });

  it('pays with PayPal through the sandbox; the IPN is verified by postback', async () => {
    const { payment, redirect } = await start('paypal', 'book-2');
    const session = await openPage(redirect);
    await sandbox.paypal.act(session, 'pay');
    await sandbox.flush();
    expect(await status(payment.id)).toBe('paid');
  });

  it('pays with PayU through the sandbox; the signed notification is verified', async () => {
    const { payment, redirect } = await start('payu', 'ksiazka-1', { 'cf-connecting-ip': '203.0.113.7' });
    expect(redirect.method).toBe('GET');
    const page = await sandbox.handler(new Request(redirect.url));
    expect(page.status).toBe(200);
    await sandbox.payu.act(page.headers.get('x-sandbox-session') as string, 'pay');
    await sandbox.flush();
    expect(await status(payment.id)).toBe('paid');
  });

  it('pays with Stripe through the sandbox (webhooks verified in workerd), then refunds it', async () => {
    const { payment, redirect } = await start('stripe', 'book-4');
    expect(redirect.method).toBe('GET');
    const page = await sandbox.handler(new Request(redirect.url));
    expect(page.status).toBe(200);
    const sessionId = redirect.url.split('/').at(-1) as string;
    await sandbox.stripe.act(sessionId, { card: '4242424242424242' });
    await sandbox.flush();
    expect(await status(payment.id)).toBe('paid');

    const refund = (path: string, token: string) =>
      shop(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'refund-book-4' },
      });
    expect((await refund(`/admin/payments/${payment.id}/refund`, 'not-the-token')).status).toBe(401);
    const refunded = await refund(`/admin/payments/${payment.id}/refund`, ADMIN_TOKEN);
    expect(refunded.status).toBe(200);
    await sandbox.flush();
    expect(await status(payment.id)).toBe('refunded');
    // The same idempotency key is the same refund: nothing more goes to Stripe.
    expect((await refund(`/admin/payments/${payment.id}/refund`, ADMIN_TOKEN)).status).toBe(200);
    const intent = sandbox.stripe.object(sessionId)?.payment_intent as string;
    const listed = await sandbox.handler(
      new Request(`${SANDBOX}/stripe/v1/refunds?payment_intent=${intent}`, {
        headers: { authorization: `Bearer ${STRIPE_SANDBOX_SECRET_KEY}` },
      }),
    );
    const refunds = ((await listed.json()) as { data: Array<{ amount: number; status: string }> }).data;
    expect(refunds).toEqual([expect.objectContaining({ amount: 2400, status: 'succeeded' })]);
  });

  it('the Cron Trigger reconciles: a PayU refund whose notification was lost is settled by the pull', async () => {
    const { payment, redirect } = await start('payu', 'ksiazka-2', { 'cf-connecting-ip': '203.0.113.7' });
    const page = await sandbox.handler(new Request(redirect.url));
    await sandbox.payu.act(page.headers.get('x-sandbox-session') as string, 'pay');
    await sandbox.flush();
    expect(await status(payment.id)).toBe('paid');
    const refunded = await shop(`/admin/payments/${payment.id}/refund`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'idempotency-key': 'refund-ksiazka-2' },
    });
    expect(await refunded.json()).toMatchObject({ status: 'paid', amountRefunded: 0 });
    // PayU finalises the refund; its notification never reaches the shop (PayU gave up).
    sandbox.payu.finalizeRefunds();
    const lost = sandbox.queue.pending().filter((delivery) => delivery.broker === 'payu');
    expect(lost.length).toBeGreaterThan(0);
    for (const delivery of lost) delivery.state = 'gave-up';
    await sandbox.flush();
    expect(await status(payment.id)).toBe('paid');

    // Only the reconcile pass can learn it: the payment is paid, so no sweep looks at it.
    const worker = (await mf.getWorker()) as unknown as {
      scheduled(options: { cron: string }): Promise<{ outcome: string }>;
    };
    expect((await worker.scheduled({ cron: '*/5 * * * *' })).outcome).toBe('ok');
    expect(await status(payment.id)).toBe('refunded');
  });

  it('refuses a forged CM-CIC notification; the Cron Trigger then expires the unpaid payment', async () => {
    const { payment, redirect } = await start('cmcic', 'book-3');
    const forged = await shop('/payments/notify/cmcic', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        TPE: TPE.tpe,
        date: '01/01/2026_a_12:00:00',
        montant: '12.50EUR',
        reference: redirect.fields.reference as string,
        'texte-libre': '',
        'code-retour': 'payetest',
        MAC: 'A'.repeat(40),
      }).toString(),
    });
    expect(await forged.text()).toBe('version=2\ncdr=1\n');
    expect(await status(payment.id)).toBe('new');

    await new Promise((resolve) => setTimeout(resolve, 2_500)); // past PAYMENT_TTL_SECONDS
    // Miniflare's Fetcher, typed here without @cloudflare/workers-types.
    const worker = (await mf.getWorker()) as unknown as {
      scheduled(options: { cron: string }): Promise<{ outcome: string }>;
    };
    const result = await worker.scheduled({ cron: '*/5 * * * *' });
    expect(result.outcome).toBe('ok');
    expect(await status(payment.id)).toBe('expired');
  });
});
