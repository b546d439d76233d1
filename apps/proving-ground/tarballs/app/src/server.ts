/**
 * A merchant's app as a new user writes it from the packages' READMEs: Hono on Node, the four
 * brokers pointed at a standalone `paybridge-sandbox`, and two admin routes of its own (a refund and
 * a payment lookup), which a shop would put behind its back-office login.
 */
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { paybridgeApp } from '@paybridge/adapter-hono';
import { cmcic } from '@paybridge/backend-cmcic';
import { paypal } from '@paybridge/backend-paypal';
import { payu } from '@paybridge/backend-payu';
import { stripe } from '@paybridge/backend-stripe';
import { createPaybridge, isPaybridgeError, memoryStore, type OrderInfo } from '@paybridge/core';
import { Hono } from 'hono';

const port = Number(process.env.PORT);
const sandbox = process.env.SANDBOX_URL ?? '';
const adminToken = process.env.ADMIN_TOKEN ?? '';
const shop = `http://127.0.0.1:${port}`;

/** The shop's orders: the broker is in the id, each with a currency its test account takes. */
const ORDERS: Record<string, Omit<OrderInfo, 'description'>> = {
  payu: { amount: 2100, currency: 'PLN' },
  paypal: { amount: 1550, currency: 'EUR' },
  cmcic: { amount: 990, currency: 'EUR' },
  stripe: { amount: 1250, currency: 'EUR' },
};

const bridge = createPaybridge({
  baseUrl: `${shop}/payments`,
  testMode: true,
  backends: [
    // The sandbox's public test POS, as its README and start-up output print them.
    payu({
      posId: '300746',
      clientId: '300746',
      clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
      secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
      currency: 'PLN',
      endpoint: `${sandbox}/payu`,
    }),
    paypal({ business: 'merchant@example.com', endpoint: `${sandbox}/paypal` }),
    cmcic({
      tpe: '9000001',
      key: 'C0FFEE0123456789ABCDEF0123456789ABCDEF01',
      company: 'paybridgetest',
      endpoint: `${sandbox}/cmcic/test`,
    }),
    // The sandbox's test secret key; the webhook secret is the one given to `paybridge-sandbox
    // --stripe-webhook <url> --stripe-webhook-secret <whsec_…>`, as a Dashboard endpoint's would be.
    stripe({
      secretKey: 'sk_test_paybridge_sandbox_0000000000000000',
      webhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? '',
      endpoint: `${sandbox}/stripe`,
    }),
  ],
  store: memoryStore(),
  orders: {
    resolve(orderId) {
      const order = ORDERS[orderId.split('-')[0] ?? ''];
      // CM-CIC's current scheme needs the buyer's billing address (contexte_commande).
      return order
        ? {
            ...order,
            description: `Order ${orderId}`,
            buyer: {
              billingAddress: {
                line1: '18 rue de la Paix',
                city: 'Paris',
                postalCode: '75002',
                country: 'FR',
              },
            },
          }
        : null;
    },
  },
});

const app = new Hono();
app.route('/payments', paybridgeApp(bridge, { getConnInfo }));

const admin = new Hono();
admin.use(async (c, next) => {
  if (c.req.header('authorization') !== `Bearer ${adminToken}`) return c.json({ error: 'unauthorized' }, 401);
  await next();
});
admin.get('/payments/:id', async (c) => {
  const payment = await bridge.getPayment(c.req.param('id'));
  return payment ? c.json(payment) : c.json({ error: 'no such payment' }, 404);
});
admin.post('/payments/:id/refund', async (c) => {
  try {
    return c.json(await bridge.refund(c.req.param('id'), { reason: 'first-hour test' }));
  } catch (error) {
    if (isPaybridgeError(error)) return error.toResponse();
    throw error;
  }
});
app.route('/admin', admin);

serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => {
  console.log(`shop listening on ${shop}`);
});
