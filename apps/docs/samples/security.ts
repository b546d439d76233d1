// The settings that decide what the bridge believes about a request.
import { createPaybridge } from '@paybridge/core';
import { sqliteStore } from '@paybridge/store-sql';
import { monetico } from './cmcic';
import { shop } from './shop';

export const bridge = createPaybridge({
  // Absolute and https: every URL handed to a broker is built from it, never from the Host header.
  baseUrl: 'https://shop.example/payments',
  // Only these peers may set X-Forwarded-For/Proto/Host; everyone else's headers are ignored.
  trustProxy: ['10.0.0.0/8', '192.168.0.0/16'],
  // Larger bodies are refused with 413 before they are read.
  maxBodyBytes: 64 * 1024,
  // Signs payment buttons; rotate it to retire every token at once.
  secret: process.env.PAYBRIDGE_SECRET!,
  backends: [monetico],
  store: sqliteStore({ filename: './data/payments.db' }),
  orders: {
    resolve: async (orderId) => {
      const order = await shop.findOrder(orderId);
      return order && { amount: order.totalMinor, currency: 'EUR', description: `Order ${order.number}` };
    },
  },
  // Secrets are redacted before the logger sees a line.
  logger: {
    debug: () => {},
    info: (message, data) => console.info(message, data),
    warn: (message, data) => console.warn(message, data),
    error: (message, data) => console.error(message, data),
  },
});
