import { createPaybridgeRoute } from '@paybridge/adapter-remix';
import { cmcic } from '@paybridge/backend-cmcic';
import { createPaybridge } from '@paybridge/core';

const env = process.env;
/** A setting the shop cannot start without. */
function required(name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export const bridge = createPaybridge({
  testMode: true, // the brokers' sandboxes; memoryStore() by default: use @paybridge/store-sql in production
  backends: [
    cmcic({
      tpe: required('CMCIC_TPE'),
      key: required('CMCIC_KEY'),
      company: required('CMCIC_COMPANY'),
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

/** `{ loader, action }` for the resource route; the client IP is the load context's `clientIp` (server.mjs). */
export const paymentsRoute = createPaybridgeRoute(bridge);
