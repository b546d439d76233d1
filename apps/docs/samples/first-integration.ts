// A merchant's first real integration: PayU, a durable SQLite store, the shop's own orders.

import { payu } from '@paybridge/backend-payu';
import { createPaybridge } from '@paybridge/core';
import { sqliteStore } from '@paybridge/store-sql';
import { shop } from './shop';

const env = process.env;

export const bridge = createPaybridge({
  baseUrl: 'https://shop.example/payments', // where the handler is mounted, as brokers see it
  testMode: env.NODE_ENV !== 'production', // PayU's sandbox until you go live
  trustProxy: ['10.0.0.0/8'], // your load balancer: PayU needs the buyer's real IP
  backends: [
    payu({
      posId: env.PAYU_POS_ID!,
      clientId: env.PAYU_CLIENT_ID!,
      clientSecret: env.PAYU_CLIENT_SECRET!,
      secondKey: env.PAYU_SECOND_KEY!,
      currency: 'PLN',
    }),
  ],
  store: sqliteStore({ filename: './data/payments.db' }),
  orders: {
    resolve: async (orderId) => {
      const order = await shop.findOrder(orderId);
      if (!order) return null;
      return {
        amount: order.totalMinor, // integer minor units: 4999 = 49.99 PLN
        currency: 'PLN',
        description: `Order ${order.number}`,
        buyer: { email: order.email },
        successUrl: `https://shop.example/orders/${order.id}/thanks`,
        failureUrl: `https://shop.example/orders/${order.id}/pay-again`,
      };
    },
  },
});

// Listeners may run more than once (at-least-once delivery): make them idempotent.
bridge.on('payment.accepted', async ({ payment }) => {
  await shop.markPaid(payment.orderId, payment.id);
});

// Print once, paste into PayU's panel: the notification URL and the settings to check.
console.log(bridge.setupInstructions());
