import { toNodeHandler } from '@paybridge/adapter-node';
import { cmcic } from '@paybridge/backend-cmcic';
import { createPaybridge } from '@paybridge/core';
import Fastify from 'fastify';

const env = process.env;
const bridge = createPaybridge({
  basePath: '/payments', // Fastify does not tell the handler where its route is: the bridge's routes live here
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

const app = Fastify();
const handler = toNodeHandler(bridge);
// A scope whose content-type parser leaves the body unread: the bridge reads the raw bytes itself.
app.register(async (scope) => {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
  scope.all('/payments/*', async (request, reply) => {
    reply.hijack();
    await handler(request.raw, reply.raw);
  });
});
app.get('/', async () => 'shop');
const address = await app.listen({ port: Number(env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on ${address}`);
