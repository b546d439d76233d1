import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Paybridge } from '@paybridge/core';
import { createJiti } from 'jiti';
import { afterAll, describe, expect, it } from 'vitest';
import { built, paybridge, paybridgeServing } from './support/cli';
import { eventually, forward, tempDir } from './support/world';

const temp = tempDir();
const stops: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  temp.remove();
});

/** A shop serving a bridge that is set once the sandbox is up (each needs the other's URL). */
async function startShop(): Promise<{ origin: string; serve(bridge: Paybridge): void }> {
  let bridge: Paybridge | null = null;
  const server: Server = createServer((req, res) => {
    if (!bridge) return void res.writeHead(503).end();
    forward(bridge, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => server.close(resolve)));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve: (b) => {
      bridge = b;
      stops.push(async () => {
        b.close();
        await b.store.close?.();
      });
    },
  };
}

describe('paybridge sandbox: the brokers whose back office holds your URL', { timeout: 120_000 }, () => {
  it('CM-CIC: with --cmcic-retour the bank’s return interface reaches the bridge and pays the payment', async () => {
    const shop = await startShop();
    const sandbox = await paybridgeServing(
      ['sandbox', '--port', '0', '--cmcic-retour', `${shop.origin}/pay/notify/cmcic`],
      temp.dir,
      /listening on (http:\/\/\S+)/,
    );
    stops.push(() => sandbox.stop());
    const sandboxUrl = sandbox.match[1] as string;
    expect(sandbox.output()).toContain(`return URL ${shop.origin}/pay/notify/cmcic`);

    const config = join(temp.dir, 'cmcic.config.ts');
    writeFileSync(
      config,
      `import { createPaybridge, silentLogger } from ${JSON.stringify(built('core'))};
import { cmcic } from ${JSON.stringify(built('backend-cmcic'))};
import { sqliteStore } from ${JSON.stringify(built('store-sql'))};

export default createPaybridge({
  baseUrl: ${JSON.stringify(`${shop.origin}/pay`)},
  store: sqliteStore({ filename: ${JSON.stringify(join(temp.dir, 'cmcic.db'))} }),
  logger: silentLogger,
  backends: [
    cmcic({ tpe: '9000001', key: 'C0FFEE0123456789ABCDEF0123456789ABCDEF01', company: 'paybridgetest',
            endpoint: ${JSON.stringify(`${sandboxUrl}/cmcic/test`)}, testMode: true }),
  ],
  orders: {
    resolve: (orderId: string) => ({
      amount: 4200, currency: 'EUR', description: \`Order \${orderId}\`,
      buyer: { email: 'jeanne@example.com', billingAddress: { line1: '1 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' } },
      successUrl: 'https://shop.example/merci', failureUrl: 'https://shop.example/desole',
    }),
  },
});
`,
    );
    const bridge = (await createJiti(import.meta.url, { fsCache: false }).import(config, {
      default: true,
    })) as Paybridge;
    shop.serve(bridge);

    const started = await bridge.startPayment({ backend: 'cmcic', orderId: 'order-cb' });
    if (started.redirect.method !== 'POST') throw new Error('CM-CIC posts a sealed form');
    const page = await fetch(started.redirect.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(started.redirect.fields).toString(),
    });
    expect(page.status).toBe(200);
    const session = page.headers.get('x-sandbox-session') as string;
    const paid = await fetch(`${sandboxUrl}/cmcic/session/${session}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=pay&card=4000000000000002&expiry=12%2F39&cvv=123',
      redirect: 'manual',
    });
    expect(paid.status).toBeLessThan(400);
    // Nothing but the bank's server-to-server call can pay it: the buyer never came back.
    const payment = await eventually(async () => {
      const p = await bridge.getPayment(started.payment.id);
      return p?.status === 'paid' && p;
    });
    expect(payment).toMatchObject({ amountPaid: 4200, currency: 'EUR' });

    const shown = await paybridge(['payments', 'show', payment.id, '--config', config], temp.dir);
    expect(shown.stdout).toMatch(/in\s+notification\s+verified\s+applied\s+200/);
  });

  it('prints the Stripe, Razorpay and Flutterwave webhook URLs it was given, and refuses one without its secret', async () => {
    const sandbox = await paybridgeServing(
      [
        'sandbox',
        '--port',
        '0',
        '--stripe-webhook',
        'http://127.0.0.1:3000/payments/notify/stripe',
        '--stripe-webhook-secret',
        'whsec_0123456789abcdef',
        '--razorpay-webhook',
        'http://127.0.0.1:3000/payments/notify/razorpay',
        '--razorpay-webhook-secret',
        'razorpay-webhook-secret',
        '--flutterwave-webhook',
        'http://127.0.0.1:3000/payments/notify/flutterwave',
      ],
      temp.dir,
      /Flutterwave webhooks → \S+/,
    );
    try {
      const out = sandbox.output();
      expect(out).toContain('Stripe webhooks → http://127.0.0.1:3000/payments/notify/stripe');
      expect(out).toContain('Razorpay webhooks → http://127.0.0.1:3000/payments/notify/razorpay');
      expect(out).toContain('Flutterwave webhooks → http://127.0.0.1:3000/payments/notify/flutterwave');
      // The webhook URLs are the owner's own configuration: deliveries to them are allowed.
      expect(out).toMatch(
        /Notifications delivered to: .*http:\/\/127\.0\.0\.1:3000\/payments\/notify\/stripe.*http:\/\/127\.0\.0\.1:3000\/payments\/notify\/razorpay/,
      );
    } finally {
      expect(await sandbox.stop()).toBe(0);
    }

    const missing = await paybridge(
      ['sandbox', '--port', '0', '--stripe-webhook', 'http://127.0.0.1:3000/payments/notify/stripe'],
      temp.dir,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'paybridge sandbox: --stripe-webhook needs --stripe-webhook-secret whsec_… (the merchant verifies with it)\n' +
        "  fix: pass --stripe-webhook-secret with the whsec_… secret of your Stripe backend's settings\n",
    );
    const mode = await paybridge(['sandbox', '--port', '0', '--cmcic-mode', 'later'], temp.dir);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain('--cmcic-mode later is not a collection mode');
  });
});
