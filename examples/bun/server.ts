import { paybridgeApp } from '@paybridge/adapter-hono';
import { cmcic } from '@paybridge/backend-cmcic';
import { createPaybridge } from '@paybridge/core';
import { Hono } from 'hono';
import { getConnInfo } from 'hono/bun';

const env = process.env;
const bridge = createPaybridge({
  testMode: true, // the brokers' sandboxes; memoryStore() by default: use @paybridge/store-sql in production
  backends: [
    cmcic({
      // Unset, each fails the backend's own settings check at start-up, which names it.
      tpe: env.CMCIC_TPE ?? '',
      key: env.CMCIC_KEY ?? '',
      company: env.CMCIC_COMPANY ?? '',
      ...(env.CMCIC_ENDPOINT ? { endpoint: env.CMCIC_ENDPOINT } : {}),
    }),
  ],
  orders: {
    resolve: (id) =>
      id === 'book-1'
        ? {
            amount: 1250,
            currency: 'EUR',
            description: 'A book',
            // CM-CIC's current scheme needs the buyer's billing address (contexte_commande).
            buyer: {
              billingAddress: {
                line1: '18 rue de la Paix',
                city: 'Paris',
                postalCode: '75002',
                country: 'FR',
              },
            },
          }
        : null,
  },
});

const app = new Hono();
app.get('/', (c) => c.text('shop'));
app.route('/payments', paybridgeApp(bridge, { getConnInfo }));
const server = Bun.serve({ fetch: app.fetch, port: Number(env.PORT ?? 3000), hostname: '127.0.0.1' });
console.log(`listening on http://127.0.0.1:${server.port}`);
